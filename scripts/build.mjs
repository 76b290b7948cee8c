#!/usr/bin/env node
// Builds what the package runs: the `tongcheng` command as one ESM bundle (dist/cli/main.mjs),
// with most dependencies left in node_modules, and the dashboard (web/dist). `npm ci` runs it as
// `prepare`; `npm run build` runs it by hand. `--cli` builds the command only (tests do that).
// Plain JavaScript, so that it runs in an install without dev dependencies.
import { readFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bundle = join(root, 'dist/cli/main.mjs');

// Pure ESM packages of many small files are bundled: loading them file by file took a quarter
// of a second of every start. The others stay in node_modules: native code (better-sqlite3),
// CommonJS, or packages that read their own files at run time (piscina's worker, swagger-ui's
// assets, pino's transports).
const BUNDLED = new Set(['typebox', 'kysely', 'csv-parse', 'fflate', 'flatbush', 'kdbush']);
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const external = Object.keys(dependencies).filter((name) => !BUNDLED.has(name));

export async function buildCli() {
  const { build } = await import('esbuild');
  // Built beside and renamed, so that a process starting meanwhile never loads half a file.
  const partial = `${bundle}.${process.pid}.tmp`;
  await build({
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile: partial,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external,
    sourcemap: 'inline',
    logLevel: 'error',
  });
  renameSync(partial, bundle);
}

export async function buildWeb() {
  const { build } = await import('vite');
  // A production build whoever calls: Vite follows NODE_ENV, which a test runner sets to `test`.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(root, 'web/vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  await buildCli();
  if (!process.argv.includes('--cli')) await buildWeb();
}
