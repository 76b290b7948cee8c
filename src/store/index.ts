/**
 * One database handle for the whole process: SQLite (better-sqlite3, WAL) by default,
 * PostgreSQL when a URL is given. Modules never see the driver, only Kysely; each module
 * narrows the handle to its own tables with `db.withTables<…>()` and brings its migrations.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type Migration, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';

export type Dialect = 'sqlite' | 'postgres';

// biome-ignore lint/complexity/noBannedTypes: the base handle knows no tables; modules add theirs.
type NoTables = {};
export type Database = Kysely<NoTables>;

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
// stay far below 2^53, and a value beyond it is refused rather than rounded.
pg.types.setTypeParser(pg.types.builtins.INT8, (text: string) => {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`int8 value ${text} is beyond 2^53`);
  return value;
});

export function openStore(options: { databaseUrl?: string; schema?: string; sqlitePath: string }): Store {
  if (options.databaseUrl) {
    const url = new URL(options.databaseUrl);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      throw new Error(`DATABASE_URL must be a postgres:// URL (got ${url.protocol})`);
    }
    const { schema } = options;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
      throw new Error(`DATABASE_SCHEMA must be a plain lower-case identifier; got "${schema}"`);
    }
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
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
  if (options.sqlitePath !== ':memory:') mkdirSync(dirname(options.sqlitePath), { recursive: true });
  const database = new SQLite(options.sqlitePath);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<NoTables>({ dialect: new SqliteDialect({ database }) });
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
  const migrator = new Migrator({
    db: store.db,
    migrationTableSchema: store.schema,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function ping(store: Store): Promise<void> {
  await sql`select 1`.execute(store.db);
}
