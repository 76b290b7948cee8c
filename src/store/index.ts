/**
 * One database handle for the whole process: SQLite (better-sqlite3, WAL) by default,
 * PostgreSQL when a URL is given. Modules never see the driver, only Kysely; each module
 * narrows the handle to its own tables with `db.withTables<…>()` and brings its migrations.
 *
 * A store of a module runs on whatever `Executor` it is given: the database, or a transaction
 * that `inTransaction` opened, so that one use case can write through several modules' stores
 * and have all of it commit or none.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type SQLiteDriver from 'better-sqlite3';
import {
  Kysely,
  type KyselyPlugin,
  type Migration,
  Migrator,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PostgresDialect,
  type QueryResult,
  SqliteDialect,
  sql,
  type UnknownRow,
} from 'kysely';
import type PgDriver from 'pg';
import { databaseSchema, databaseUrl, ensureWritableFolder } from '../lib/config.ts';

export type Dialect = 'sqlite' | 'postgres';

// biome-ignore lint/complexity/noBannedTypes: the base handle knows no tables; modules add theirs.
type NoTables = {};
export type Database = Kysely<NoTables>;
/** The database, or an open transaction on it: what every store runs its queries on. */
export type Executor = Kysely<NoTables>;

export interface Store {
  readonly db: Database;
  readonly dialect: Dialect;
  /** A short description for health checks and logs, without credentials. */
  readonly location: string;
  /** The PostgreSQL schema in use, when not the default. */
  readonly schema: string | undefined;
  /**
   * Told when a pooled PostgreSQL connection fails while idle (the server restarted, or ended
   * it): the pool drops it and opens another on the next query. By default a line on stderr;
   * the server logs it instead.
   */
  onConnectionError: (error: Error) => void;
  close(): Promise<void>;
}

export type Migrations = Record<string, Migration>;

// Each driver is loaded when its database is opened: a SQLite run never loads pg, and the reverse.
const require = createRequire(import.meta.url);
let pgDriver: typeof PgDriver | undefined;

function loadPg(): typeof PgDriver {
  if (!pgDriver) {
    pgDriver = require('pg') as typeof PgDriver;
    // PostgreSQL returns int8 as text to protect precision; our integers (fen, epoch ms, counts)
    // stay far below 2^53, and a value beyond it is refused rather than rounded.
    pgDriver.types.setTypeParser(pgDriver.types.builtins.INT8, (text: string) => {
      const value = Number(text);
      if (!Number.isSafeInteger(value)) throw new Error(`int8 value ${text} is beyond 2^53`);
      return value;
    });
  }
  return pgDriver;
}

/**
 * SQLite would round an integer beyond 2^53 silently. It hands every integer over as a BigInt
 * instead (`defaultSafeIntegers`), and this plugin turns each back into a number, refusing one
 * that a number cannot hold exactly.
 */
class ExactIntegers implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs) {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const { result } = args;
    for (const row of result.rows) {
      for (const key in row) {
        const value = row[key];
        if (typeof value === 'bigint') {
          if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
            throw new Error(`integer ${value} in column ${key} is beyond 2^53`);
          }
          row[key] = Number(value);
        }
      }
    }
    return result;
  }
}

export interface StoreOptions {
  databaseUrl?: string;
  schema?: string;
  sqlitePath: string;
  /** Opens for reading only: nothing is created, and a write fails. */
  readOnly?: boolean;
  /** PostgreSQL: how long to wait for a connection, and for one statement (milliseconds). */
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
}

/** Our backends in pg_stat_activity, unless DATABASE_URL names another application_name. */
export const APPLICATION_NAME = 'tongcheng';

const warnOnStderr = (error: Error) => {
  process.stderr.write(`warning: a database connection failed (${error.message}); it will be replaced\n`);
};

export class StoreError extends Error {
  override name = 'StoreError';
}

export function openStore(options: StoreOptions): Store {
  if (options.databaseUrl) {
    // Checked as readConfig checks them, for callers that open a store without it (tests).
    const url = new URL(databaseUrl(options.databaseUrl)!);
    const schema = databaseSchema(options.schema);
    const settings = [
      ...(schema ? [`-c search_path=${schema}`] : []),
      ...(options.readOnly ? ['-c default_transaction_read_only=on'] : []),
    ];
    const pool = new (loadPg().Pool)({
      connectionString: options.databaseUrl,
      max: 10,
      // An application_name in the URL wins over this one.
      application_name: APPLICATION_NAME,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      statement_timeout: options.statementTimeoutMs ?? 30_000,
      // A connection whose server vanished without a word is found out by TCP, not kept for ever.
      keepAlive: true,
      ...(settings.length > 0 ? { options: settings.join(' ') } : {}),
    });
    const db = new Kysely<NoTables>({ dialect: new PostgresDialect({ pool }) });
    const store: Store = {
      db,
      dialect: 'postgres',
      location: `postgres://${url.host}${url.pathname}${schema ? `#${schema}` : ''}`,
      schema,
      onConnectionError: warnOnStderr,
      close: () => db.destroy(),
    };
    // Without listeners, a connection's error (pg_terminate_backend, a server restart, a lost
    // network) would be an unhandled 'error' event and end the process. The pool reports idle
    // connections' errors; a connection in use fails its query, which its caller is told of.
    pool.on('error', (error) => store.onConnectionError(error));
    pool.on('connect', (client) => client.on('error', () => {}));
    return store;
  }
  const SQLite = require('better-sqlite3') as typeof SQLiteDriver;
  let database: SQLiteDriver.Database;
  const memory = options.sqlitePath === ':memory:';
  if (!memory) {
    if (!options.readOnly) ensureWritableFolder(dirname(options.sqlitePath), 'TONGCHENG_VAR');
    // Something else than a file in its place (a FIFO, a folder) would block or fail obscurely.
    const kind = fileKind(options.sqlitePath);
    if (kind === 'missing' && options.readOnly) {
      throw new StoreError(
        `there is no database at ${options.sqlitePath} yet; \`tongcheng migrate\` or \`tongcheng serve\` creates it`,
      );
    }
    if (kind === 'other') throw new StoreError(`${options.sqlitePath} is not a database file`);
  }
  try {
    if (options.readOnly) {
      database = new SQLite(options.sqlitePath, { readonly: true, fileMustExist: true });
    } else {
      database = new SQLite(options.sqlitePath);
      database.pragma('journal_mode = WAL');
    }
  } catch (error) {
    throw new StoreError(`cannot open the database at ${options.sqlitePath}: ${(error as Error).message}`);
  }
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // SQLite's default page cache is 2 MiB: a card database of a million taps (hundreds of MB) then
  // reads most pages from the file on every batch. 64 MiB keeps its indexes' hot pages in memory.
  database.pragma('cache_size = -65536');
  database.defaultSafeIntegers(true);
  const db = new Kysely<NoTables>({
    dialect: new SqliteDialect({ database }),
    plugins: [new ExactIntegers()],
  });
  return {
    db,
    dialect: 'sqlite',
    location: `sqlite:${options.sqlitePath}`,
    schema: undefined,
    onConnectionError: warnOnStderr,
    close: () => db.destroy(),
  };
}

/**
 * Runs every module's pending migrations. Names start with a date so that the modules'
 * migrations interleave in the order they were written, whichever module they come from.
 */
export async function migrate(store: Store, migrations: Migrations): Promise<string[]> {
  const { error, results } = await migrator(store, migrations).migrateToLatest();
  if (error) throw unreachable(store, error);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Whether an error says the database cannot be reached or used right now (refused, unknown host,
 * wrong password, no such database, shutting down, a connection lost or not made in time),
 * rather than that a query of ours is wrong.
 */
const NETWORK =
  /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|08...|28...|3D000|57P0[1-3])$/;

export function isUnreachable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && NETWORK.test(code)) return true;
  return (
    typeof message === 'string' &&
    /timeout exceeded when trying to connect|Connection terminated|connection timeout/i.test(message)
  );
}

/** An unreachable database as a `StoreError` naming it, for a person to act on; other errors as they are. */
function unreachable(store: Store, error: unknown): unknown {
  return isUnreachable(error)
    ? new StoreError(`cannot use the database at ${store.location}: ${(error as Error).message}`)
    : error;
}

/** The migrations not yet run, without running them (or creating the migrations table). */
export async function pendingMigrations(store: Store, migrations: Migrations): Promise<string[]> {
  const exists =
    store.dialect === 'postgres'
      ? sql<{ t: string | null }>`select to_regclass('kysely_migration')::text as t`
      : sql<{
          t: string | null;
        }>`select name as t from sqlite_master where type = 'table' and name = 'kysely_migration'`;
  const { rows } = await exists.execute(store.db).catch((error) => {
    throw unreachable(store, error);
  });
  if (!rows[0]?.t) return Object.keys(migrations).sort();
  const done = await store.db
    .withTables<{ kysely_migration: { name: string } }>()
    .selectFrom('kysely_migration')
    .select('name')
    .execute();
  const ran = new Set(done.map((r) => r.name));
  return Object.keys(migrations)
    .filter((name) => !ran.has(name))
    .sort();
}

/**
 * One set of migrations from several modules. A name used twice is refused, so two modules can
 * never shadow each other's step; names start with a date so that the modules' steps interleave
 * in the order they were written. Kysely allows a database that already ran later steps to run
 * an earlier-named one of a module added afterwards (`allowUnorderedMigrations`).
 */
export function mergeMigrations(sets: { module: string; migrations: Migrations }[]): Migrations {
  const merged: Migrations = {};
  const owner = new Map<string, string>();
  for (const { module, migrations } of sets) {
    for (const [name, migration] of Object.entries(migrations)) {
      const other = owner.get(name);
      if (other !== undefined) {
        throw new StoreError(`migration "${name}" is declared by both ${other} and ${module}`);
      }
      owner.set(name, module);
      merged[name] = migration;
    }
  }
  return merged;
}

function migrator(store: Store, migrations: Migrations): Migrator {
  return new Migrator({
    db: store.db,
    migrationTableSchema: store.schema,
    allowUnorderedMigrations: true,
    provider: { getMigrations: async () => migrations },
  });
}

/**
 * Runs `work` in one transaction: it commits when `work` resolves and rolls back when it throws.
 * Inside a transaction already, `work` joins it, so use cases compose.
 */
export async function inTransaction<T>(db: Executor, work: (tx: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute(work);
}

function fileKind(path: string): 'missing' | 'file' | 'other' {
  try {
    return statSync(path).isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}

/**
 * Asks the database for `select 1`, and fails after `timeoutMs` if it does not answer: a database
 * that accepts connections and never replies must not hold a health check for ever.
 */
export async function ping(store: Store, timeoutMs = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreError(`the database did not answer in ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([sql`select 1`.execute(store.db), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
