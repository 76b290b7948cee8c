#!/usr/bin/env node
// The package's command. The TypeScript sources are bundled by esbuild into dist/cli/main.mjs
// when the package is installed (`prepare`) or built (`npm run build`); dependencies stay in
// node_modules and load natively. Nothing is written here at run time.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const bundle = join(resolve(import.meta.dirname, '..'), 'dist/cli/main.mjs');
if (!existsSync(bundle)) {
  process.stderr.write('error: the tongcheng command is not built; run `npm run build` in its folder\n');
  process.exit(1);
}
await import(pathToFileURL(bundle).href);
