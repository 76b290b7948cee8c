/**
 * The one shape of a module's registration. Each module's `index.ts` exports one `Module`
 * value that says what it brings: its migrations, how to open its service from the database
 * and the modules it needs, its HTTP routes and its CLI commands. `modules.ts` lists them;
 * the server and the CLI iterate over that list and know no module by name, except that the
 * server asks the parties module who a key belongs to.
 */
import type { Command } from 'commander';
import type { Config } from './lib/config.ts';
import type { App } from './lib/http.ts';
import type { Dialect, Executor, Migrations } from './store/index.ts';

/** What a module's `open` is given. */
export interface ModuleEnv {
  config: Config;
  /** The database (opened on first use). Read-only in a read-only run. */
  db(): Promise<Executor>;
  dialect(): Dialect;
  /** The service of another module, opened on first use; modules may form no cycle. */
  use<S>(module: Module<S>): Promise<S>;
}

/** What a module's commands are given. */
export interface CommandEnv<S> {
  /** Writes a line to stdout, with control characters escaped. */
  print(text: string): void;
  /**
   * The module's service. `write` runs every pending migration and seed first; `read` (the
   * default) writes nothing, and fails with a clear message when the database is missing or
   * behind.
   */
  open(mode?: 'read' | 'write'): Promise<S>;
  /** Another module's service, read-only: for a command that needs what that module knows and not this one's database. */
  use<T>(module: Module<T>): Promise<T>;
}

export interface Module<S = unknown> {
  /** Lower-case, unique: the prefix of its routes' tags and its migrations' owner. */
  name: string;
  /** Steps named `YYYY-MM-DD-NN-what`, unique across all modules. */
  migrations?: Migrations;
  open(env: ModuleEnv): S | Promise<S>;
  /** In a writing run, after the migrations: data the module keeps in step with the region pack. */
  seed?(service: S): Promise<void>;
  /**
   * Before the server listens: loads what the first request would otherwise wait for. What it
   * has to leave out (a damaged feed, say) it tells `warn`, and the server starts without it.
   */
  warm?(service: S, warn: (message: string) => void): Promise<void>;
  /** `config`: the settings, for routes whose limits they set. */
  routes?(app: App, service: S, config: Config): void;
  commands?(program: Command, env: CommandEnv<S>): void;
}

/** Declares a module; the identity function, there so that `S` is inferred from `open`. */
export const defineModule = <S>(module: Module<S>): Module<S> => module;
