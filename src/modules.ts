/**
 * The modules of Tongcheng, and how a process opens them. Adding a module is adding it to
 * `MODULES`; the server and the CLI iterate over this list.
 */
import { cardModule } from './card/index.ts';
import { faresModule } from './fares/index.ts';
import { ledgerModule } from './ledger/index.ts';
import type { Config } from './lib/config.ts';
import type { Module, ModuleEnv } from './module.ts';
import { partiesModule } from './parties/index.ts';
import { passModule } from './pass/index.ts';
import { regionModule } from './region/index.ts';
import {
  type Executor,
  mergeMigrations,
  migrate,
  openStore,
  pendingMigrations,
  type Store,
  StoreError,
} from './store/index.ts';
import { transitModule } from './transit/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: a list of modules of every service type.
export type AnyModule = Module<any>;

export const MODULES: readonly AnyModule[] = [
  regionModule,
  partiesModule,
  ledgerModule,
  faresModule,
  transitModule,
  cardModule,
  passModule,
];

export const allMigrations = (modules: readonly AnyModule[] = MODULES) =>
  mergeMigrations(modules.map((m) => ({ module: m.name, migrations: m.migrations ?? {} })));

export interface Runtime {
  readonly config: Config;
  readonly modules: readonly AnyModule[];
  service<S>(module: Module<S>): Promise<S>;
  /** The store, when one has been opened. */
  store(): Store | undefined;
  close(): Promise<void>;
}

/**
 * Opens a process's modules. `write` migrates, then opens every module and runs its seed, as the
 * server and writing commands need. `read` opens modules (and the database) only when asked,
 * read-only, and refuses a database that is missing or behind, so a read writes nothing.
 */
export async function openRuntime(
  config: Config,
  mode: 'read' | 'write',
  modules: readonly AnyModule[] = MODULES,
): Promise<Runtime> {
  const migrations = allMigrations(modules);
  let store: Store | undefined;
  let checked: Promise<Executor> | undefined;
  const services = new Map<AnyModule, Promise<unknown>>();
  const opening = new Set<AnyModule>();

  const openDb = (): Store => {
    store ??= openStore({
      databaseUrl: config.databaseUrl,
      schema: config.databaseSchema,
      sqlitePath: config.sqlitePath,
      readOnly: mode === 'read',
      connectTimeoutMs: config.databaseConnectTimeoutMs,
      statementTimeoutMs: config.databaseStatementTimeoutMs,
    });
    return store;
  };

  const db = (): Promise<Executor> => {
    checked ??= (async () => {
      const s = openDb();
      if (mode === 'read') {
        const pending = await pendingMigrations(s, migrations);
        if (pending.length > 0) {
          throw new StoreError(
            `the database at ${s.location} is behind (${pending.length} migrations to run); \`tongcheng migrate\` brings it up to date`,
          );
        }
      }
      return s.db;
    })();
    return checked;
  };

  const env: ModuleEnv = {
    config,
    db,
    dialect: () => openDb().dialect,
    use: <S>(module: Module<S>): Promise<S> => {
      if (!modules.includes(module)) throw new Error(`module ${module.name} is not in the module list`);
      let service = services.get(module) as Promise<S> | undefined;
      if (!service) {
        if (opening.has(module)) throw new Error(`modules need each other in a cycle through ${module.name}`);
        opening.add(module);
        service = Promise.resolve(module.open(env)).finally(() => opening.delete(module));
        services.set(module, service);
      }
      return service;
    },
  };

  const runtime: Runtime = {
    config,
    modules,
    service: env.use,
    store: () => store,
    async close() {
      await store?.close();
    },
  };

  if (mode === 'write') {
    try {
      await migrate(openDb(), migrations);
      for (const module of modules) {
        const service = await env.use(module);
        await module.seed?.(service);
      }
    } catch (error) {
      await runtime.close();
      throw error;
    }
  }
  return runtime;
}
