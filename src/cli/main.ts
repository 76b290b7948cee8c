/**
 * The `tongcheng` command. It composes the modules' commands, and adds `serve` and `migrate`;
 * each command prints a table for people and JSON with --json. A problem, or a setting that
 * cannot be used, is printed as one `error: …` line and exits 1; a stack is printed only for a bug.
 *
 * The bundle of this file is also the code of the server's worker threads (see
 * transit/workers.ts): in a worker it only exports the task, and runs no command.
 */
import { isMainThread } from 'node:worker_threads';
import { Command, CommanderError } from 'commander';
import { ConfigError, readConfig } from '../lib/config.ts';
import { isProblem } from '../lib/errors.ts';
import { escapeControl } from '../lib/terminal.ts';
import type { CommandEnv, Module } from '../module.ts';
import { allMigrations, MODULES, openRuntime, type Runtime } from '../modules.ts';
import { RegionPackError } from '../region/index.ts';
import { serve } from '../server/serve.ts';
import { StoreError } from '../store/index.ts';

export { transitTask } from '../transit/worker.ts';

// Output piped into `head` and closed early is not an error of ours.
if (isMainThread) {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const print = (text: string) => {
  process.stdout.write(`${escapeControl(text)}\n`);
};

/** Errors a person can act on: one line, no stack. */
const expected = (error: unknown): error is Error =>
  error instanceof RegionPackError || error instanceof ConfigError || error instanceof StoreError;

/** Prints a failure; the exit code is set rather than forced so that stderr is flushed first. */
function fail(error: unknown): void {
  let text: string;
  if (isProblem(error)) text = `${error.message}${error.field ? ` (field: ${error.field})` : ''}`;
  else if (expected(error)) text = error.message;
  else text = `${(error as Error)?.stack ?? error}`;
  process.stderr.write(`error: ${escapeControl(text)}\n`);
  process.exitCode = 1;
}

// One command runs per process: its runtime is opened once, in the mode it first asks for.
let runtime: Promise<Runtime> | undefined;
const runtimeFor = (mode: 'read' | 'write') => {
  runtime ??= openRuntime(readConfig(), mode);
  return runtime;
};

export function buildProgram(): Command {
  const program = new Command('tongcheng')
    .description('Tongcheng (同城): shared infrastructure for a metropolitan region')
    .version('0.1.0')
    .showHelpAfterError()
    .enablePositionalOptions()
    .exitOverride()
    // Commander echoes what was typed (an unknown command, say): escaped like everything we print.
    .configureOutput({
      writeOut: (text) => process.stdout.write(escapeControl(text)),
      writeErr: (text) => process.stderr.write(escapeControl(text)),
    });

  const envFor = <S>(module: Module<S>): CommandEnv<S> => ({
    print,
    open: async (mode = 'read') => (await runtimeFor(mode)).service(module),
    use: async (other) => (await runtimeFor('read')).service(other),
  });

  program
    .command('serve')
    .description('serve the dashboard and the API (PORT, DATABASE_URL, REGION from the environment)')
    .action(() => serve(readConfig()));
  program
    .command('migrate')
    .description('bring the database up to date: every module’s migrations, then the region pack’s parties')
    .option('--json', 'print JSON for machines')
    .action(async (o: { json?: boolean }) => {
      const names = Object.keys(allMigrations()).sort();
      const store = (await runtimeFor('write')).store();
      if (o.json) return print(JSON.stringify({ store: store?.location, migrations: names }, null, 2));
      print(`${store?.location}: up to date (${names.length} migrations)`);
    });
  for (const module of MODULES) module.commands?.(program, envFor(module));
  return program;
}

if (isMainThread) {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) process.exitCode = error.exitCode;
    else fail(error);
  } finally {
    // `serve` keeps its runtime until a signal; every other command closes its own here.
    if (runtime && process.argv[2] !== 'serve') await (await runtime.catch(() => undefined))?.close();
  }
}
