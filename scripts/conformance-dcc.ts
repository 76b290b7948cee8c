/**
 * Runs every JSON file under a directory (any depth, any name) through the pass token's layers
 * as a DCC conformance test and prints, as JSON, per stage how many agreed with the file's
 * expected result, which did not, and which were skipped and why. Exits 1 if any disagreed.
 *
 *   npm run conformance:dcc -- <dir>
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { runConformance } from '../src/pass/token/conformance.ts';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: npm run conformance:dcc -- <directory of DCC test files>\n');
  process.exit(2);
}
const root = resolve(dir);
const names = (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
  .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.json'))
  .map((e) => relative(root, join(e.parentPath, e.name)))
  .sort();
const report = await runConformance(
  names.map((name) => ({ name, text: readFileSync(join(root, name), 'utf8') })),
);
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
if (Object.values(report.stages).some((s) => s.disagreed.length > 0)) process.exitCode = 1;
