/**
 * Before the tests: the `tongcheng` command is rebuilt from the sources under test, and the
 * dashboard too when any of its sources (web/, and src/, whose types and name helpers it
 * imports) is newer than its build, so that no test runs code older than the code beside it.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
// @ts-expect-error: a plain-JavaScript build script without type declarations.
import { buildCli, buildWeb } from '../scripts/build.mjs';

const ROOT = resolve(import.meta.dirname, '..');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let time = 0;
  for (const item of readdirSync(path)) if (item !== 'dist') time = Math.max(time, newest(join(path, item)));
  return time;
}

export default async function setup(): Promise<void> {
  await buildCli();
  const built = join(ROOT, 'web/dist/index.html');
  const sources = Math.max(newest(join(ROOT, 'web')), newest(join(ROOT, 'src')));
  if (!existsSync(built) || statSync(built).mtimeMs < sources) await buildWeb();
}
