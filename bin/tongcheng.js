#!/usr/bin/env node
// The package's command. The TypeScript sources are bundled once by esbuild into
// dist/cli/main.mjs (rebuilt whenever a source is newer), so that a start does not pay
// for compiling on the fly; dependencies stay in node_modules and load natively.
import { existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const entry = join(root, 'src/cli/main.ts');
const bundle = join(root, 'dist/cli/main.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (item.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (item.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

if (!existsSync(bundle) || statSync(bundle).mtimeMs < newestSource(join(root, 'src'))) {
  const { buildSync } = await import('esbuild');
  // Built beside and renamed, so that a concurrent start never loads half a file.
  const partial = `${bundle}.${process.pid}.tmp`;
  buildSync({
    entryPoints: [entry],
    outfile: partial,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'error',
  });
  renameSync(partial, bundle);
}
await import(pathToFileURL(bundle).href);
