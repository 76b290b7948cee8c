/**
 * The stores a store test runs on: SQLite in a temporary file, and PostgreSQL in a schema of
 * its own (so test files can run in parallel). PostgreSQL is at TONGCHENG_TEST_PG, by default
 * the local server CI starts; set TONGCHENG_TEST_PG=off to run without it, knowingly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Dialect, openStore, type Store } from './index.ts';

const PG_URL = process.env.TONGCHENG_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore {
  dialect: Dialect;
  /** A fresh, empty database; `drop` removes it. */
  open(): Promise<{
    store: Store;
    url: string | undefined;
    schema: string | undefined;
    drop(): Promise<void>;
  }>;
}

export const testStores: TestStore[] = [
  {
    dialect: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'tongcheng-test-'));
      const store = openStore({ sqlitePath: join(dir, 'test.sqlite') });
      return {
        store,
        url: undefined,
        schema: undefined,
        async drop() {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  ...(PG_URL === 'off'
    ? []
    : [
        {
          dialect: 'postgres' as const,
          async open() {
            const schema = `test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
            const admin = new pg.Client({ connectionString: PG_URL });
            await admin.connect();
            await admin.query(`create schema ${schema}`);
            await admin.end();
            const store = openStore({ databaseUrl: PG_URL, schema, sqlitePath: '' });
            return {
              store,
              url: PG_URL,
              schema,
              async drop() {
                await store.close();
                const cleanup = new pg.Client({ connectionString: PG_URL });
                await cleanup.connect();
                await cleanup.query(`drop schema ${schema} cascade`);
                await cleanup.end();
              },
            };
          },
        },
      ]),
];
