/**
 * For tests: the module list opened as `tongcheng serve` opens it (migrated and seeded, the SMA
 * pack), on a fresh database of one of `testStores` and a data folder of its own.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from './lib/config.ts';
import { openRuntime, type Runtime } from './modules.ts';
import type { TestStore } from './store/testing.ts';

const ROOT = join(import.meta.dirname, '..');

export async function openTestRuntime(
  testStore: TestStore,
): Promise<{ runtime: Runtime; close(): Promise<void> }> {
  const opened = await testStore.open();
  await opened.store.close();
  const config = readConfig(
    {
      DATABASE_URL: opened.url,
      DATABASE_SCHEMA: opened.schema,
      TONGCHENG_VAR: mkdtempSync(join(tmpdir(), 'tongcheng-test-')),
    },
    ROOT,
  );
  const runtime = await openRuntime(config, 'write');
  return {
    runtime,
    async close() {
      await runtime.close();
      await opened.drop();
    },
  };
}
