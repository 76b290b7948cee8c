/**
 * One database handle for the whole process: SQLite (better-sqlite3, WAL) by default,
 * PostgreSQL when a URL is given. Modules never see the driver, only Kysely; each module
 * narrows the handle to its own tables with `db.withTables<…>()` and brings its migrations.
 *
 * A store of a module runs on whatever `Executor` it is given: the database, or a transaction
 * that `inTransaction` opened, so that one use case can write through several modules' stores
 * and have all of it commit or none.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
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
import pg from 'pg';

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
  close(): Promise<void>;
}

export type Migrations = Record<string, Migration>;

// PostgreSQL returns int8 as text to protect precision; our integers (fen, epoch ms, counts)
// stay far below 2^53, and a value beyond it is refused rather than rounded (SQLite: see below).
pg.types.setTypeParser(pg.types.builtins.INT8, (text: string) => {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`int8 value ${text} is beyond 2^53`);
  return value;
});

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
}

export class StoreError extends Error {
  override name = 'StoreError';
}

export function openStore(options: StoreOptions): Store {
  if (options.databaseUrl) {
    const url = new URL(options.databaseUrl);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      throw new Error(`DATABASE_URL must be a postgres:// URL (got ${url.protocol})`);
    }
    const { schema } = options;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
      throw new Error(`DATABASE_SCHEMA must be a plain lower-case identifier; got "${schema}"`);
    }
    const settings = [
      ...(schema ? [`-c search_path=${schema}`] : []),
      ...(options.readOnly ? ['-c default_transaction_read_only=on'] : []),
    ];
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 10,
      ...(settings.length > 0 ? { options: settings.join(' ') } : {}),
    });
    const db = new Kysely<NoTables>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      dialect: 'postgres',
      location: `postgres://${url.host}${url.pathname}${schema ? `#${schema}` : ''}`,
      schema,
      close: () => db.destroy(),
    };
  }
  let database: SQLite.Database;
  if (options.readOnly) {
    if (!existsSync(options.sqlitePath)) {
      throw new StoreError(
        `there is no database at ${options.sqlitePath} yet; \`tongcheng migrate\` or \`tongcheng serve\` creates it`,
      );
    }
    database = new SQLite(options.sqlitePath, { readonly: true, fileMustExist: true });
  } else {
    if (options.sqlitePath !== ':memory:') mkdirSync(dirname(options.sqlitePath), { recursive: true });
    database = new SQLite(options.sqlitePath);
    database.pragma('journal_mode = WAL');
  }
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
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
    close: () => db.destroy(),
  };
}

/**
 * Runs every module's pending migrations. Names start with a date so that the modules'
 * migrations interleave in the order they were written, whichever module they come from.
 */
export async function migrate(store: Store, migrations: Migrations): Promise<string[]> {
  const { error, results } = await migrator(store, migrations).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The migrations not yet run, without running them (or creating the migrations table). */
export async function pendingMigrations(store: Store, migrations: Migrations): Promise<string[]> {
  const exists =
    store.dialect === 'postgres'
      ? sql<{ t: string | null }>`select to_regclass('kysely_migration')::text as t`
      : sql<{
          t: string | null;
        }>`select name as t from sqlite_master where type = 'table' and name = 'kysely_migration'`;
  const { rows } = await exists.execute(store.db);
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

export async function ping(store: Store): Promise<void> {
  await sql`select 1`.execute(store.db);
}
