/**
 * The `tongcheng` command. It only composes the modules' commands; each prints a table for
 * people and JSON with --json. A problem is printed as such and exits 1.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError, readConfig } from '../lib/config.ts';
import { isProblem } from '../lib/errors.ts';
import { keyCommands, type PartiesService } from '../parties/index.ts';
import { type Region, RegionPackError, regionCommands } from '../region/index.ts';
import { openContext, openRegion, openTransit } from '../server/context.ts';
import { serve } from '../server/serve.ts';
import { type TransitService, transitCommands } from '../transit/index.ts';

// Output piped into `head` and closed early is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const print = (text: string) => {
  process.stdout.write(`${text}\n`);
};

/** Prints a failure; the exit code is set rather than forced so that stderr is flushed first. */
function fail(error: unknown): void {
  if (isProblem(error)) {
    process.stderr.write(`error: ${error.message}${error.field ? ` (field: ${error.field})` : ''}\n`);
  } else if (error instanceof RegionPackError || error instanceof ConfigError) {
    process.stderr.write(`error: ${error.message}\n`);
  } else {
    process.stderr.write(`error: ${(error as Error)?.stack ?? error}\n`);
  }
  process.exitCode = 1;
}

export function buildProgram(): Command {
  const program = new Command('tongcheng')
    .description('Tongcheng (同城): shared infrastructure for a metropolitan region')
    .version('0.1.0')
    .showHelpAfterError()
    .enablePositionalOptions()
    .exitOverride();

  let region: Region | undefined;
  const loadRegion = () => {
    region ??= openRegion(readConfig());
    return region;
  };
  const withParties = async <T>(use: (parties: PartiesService) => Promise<T>): Promise<T> => {
    const context = await openContext(readConfig());
    try {
      return await use(context.parties);
    } finally {
      await context.close();
    }
  };

  let transit: TransitService | undefined;
  const loadTransit = async () => {
    transit ??= openTransit(readConfig(), loadRegion());
    return transit;
  };

  program
    .command('serve')
    .description('serve the dashboard and the API (PORT, DATABASE_URL, REGION from the environment)')
    .action(() => serve(readConfig()));
  regionCommands(program, loadRegion, print);
  keyCommands(program, withParties, print);
  transitCommands(program, loadTransit, print);
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode;
  else fail(error);
}
