/**
 * Settings come from the environment, are checked once at start, and are plain data after that.
 * A bad setting is a `ConfigError` naming the variable: the CLI prints it as one `error:` line.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

export interface Config {
  host: string;
  port: number;
  /** PostgreSQL when set; SQLite at `sqlitePath` otherwise. */
  databaseUrl: string | undefined;
  /** A PostgreSQL schema to use instead of the default search path. */
  databaseSchema: string | undefined;
  /** How long to wait for a PostgreSQL connection, and for one statement, in milliseconds. */
  databaseConnectTimeoutMs: number;
  databaseStatementTimeoutMs: number;
  sqlitePath: string;
  /** Folder of the region pack in use. */
  regionDir: string;
  adminKey: string | undefined;
  /** Where derived files (caches) go. */
  varDir: string;
  logLevel: string;
  /** How long a client may take to send a whole request, in milliseconds. */
  requestTimeoutMs: number;
  /** Failed authentications an address may make per minute before it gets 429s. */
  authFailuresPerMinute: number;
  /** Threads that compute matrices and comparisons, and how many such requests may wait for one. */
  transitWorkers: number;
  transitQueue: number;
  /** Timetables kept in memory per process (the least recently used is dropped). */
  transitCachedFeeds: number;
}

/** The package's own folder (this file is src/lib/config.ts, or bundled into dist/cli/main.mjs). */
export const PACKAGE_ROOT = resolve(import.meta.dirname, '../..');

/** An admin secret shorter than this is refused: it could be guessed. */
export const MIN_ADMIN_KEY_LENGTH = 32;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A whole number from the environment, within bounds; unset or empty gives the default. */
function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; got "${text}"`);
  }
  return value;
}

/** DATABASE_URL checked: a postgres:// URL, or undefined for SQLite. */
export function databaseUrl(text: string | undefined): string | undefined {
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError('DATABASE_URL must be a URL such as postgres://user@host:5432/db; it is not a URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must be a postgres:// URL; got one starting ${url.protocol}//`);
  }
  return text;
}

/** DATABASE_SCHEMA checked: it goes into the connection's search_path, so a plain identifier only. */
export function databaseSchema(schema: string | undefined): string | undefined {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigError(`DATABASE_SCHEMA must be a plain lower-case identifier; got "${schema}"`);
  }
  return schema;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): Config {
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const region = env.REGION || 'sma';
  if (!/^[a-z][a-z0-9-]*$/.test(region) && !region.includes('/')) {
    throw new ConfigError(`REGION must be a region id such as "sma" or a folder path; got "${region}"`);
  }
  const schema = databaseSchema(env.DATABASE_SCHEMA || undefined);
  const adminKey = env.TONGCHENG_ADMIN_KEY || undefined;
  if (adminKey !== undefined && (adminKey.length < MIN_ADMIN_KEY_LENGTH || /[\s\p{Cc}]/u.test(adminKey))) {
    throw new ConfigError(
      `TONGCHENG_ADMIN_KEY must be at least ${MIN_ADMIN_KEY_LENGTH} characters without spaces (it has ${adminKey.length}); \`openssl rand -base64 32\` makes one`,
    );
  }
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${logLevel}"`);
  }
  const workers = integer(
    env,
    'TRANSIT_WORKERS',
    Math.max(1, Math.min(4, availableParallelism() - 1)),
    1,
    64,
  );
  const varDir = resolve(root, env.TONGCHENG_VAR || 'var');
  return {
    host: env.HOST || '127.0.0.1',
    port,
    databaseUrl: databaseUrl(env.DATABASE_URL),
    databaseSchema: schema,
    databaseConnectTimeoutMs: integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', 5000, 100, 600_000),
    databaseStatementTimeoutMs: integer(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
    sqlitePath: resolve(varDir, 'tongcheng.sqlite'),
    // A region id names a pack that ships with Tongcheng; a path, one of the user's own.
    regionDir: region.includes('/') ? resolve(root, region) : resolve(PACKAGE_ROOT, 'data/regions', region),
    adminKey,
    varDir,
    logLevel,
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
    authFailuresPerMinute: integer(env, 'AUTH_FAILURES_PER_MINUTE', 10, 1, 1_000_000),
    transitWorkers: workers,
    transitQueue: integer(env, 'TRANSIT_QUEUE', 4 * workers, 0, 10_000),
    transitCachedFeeds: integer(env, 'TRANSIT_CACHED_FEEDS', 8, 1, 1000),
  };
}

/**
 * Makes sure `dir` is a folder this process can write in, creating it if need be: a file, a FIFO
 * or a read-only folder in its place is a `ConfigError` naming `setting`, found before anything
 * tries to open a file there (and could block on a FIFO).
 */
export function ensureWritableFolder(dir: string, setting: string): void {
  let stat: ReturnType<typeof statSync> | undefined;
  try {
    stat = statSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw unusable(dir, setting, error);
  }
  if (stat && !stat.isDirectory()) throw new ConfigError(`${setting} (${dir}) is not a folder`);
  try {
    if (!stat) mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw unusable(dir, setting, error);
  }
}

function unusable(dir: string, setting: string, error: unknown): ConfigError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOTDIR'
      ? 'lies under a file, not a folder'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'is not writable by this user'
        : `cannot be used (${code ?? (error as Error).message})`;
  return new ConfigError(`${setting} (${dir}) ${why}`);
}
