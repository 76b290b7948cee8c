/**
 * Before the tests: the `tongcheng` command is rebuilt from the sources under test, so that the
 * CLI and browser tests never run a bundle older than the code beside them.
 */
// @ts-expect-error: a plain-JavaScript build script without type declarations.
import { buildCli } from '../scripts/build.mjs';

export default async function setup(): Promise<void> {
  await buildCli();
}
