/** Settings come from the environment, are checked once at start, and are plain data after that. */
import { resolve } from 'node:path';

export interface Config {
  host: string;
  port: number;
  /** PostgreSQL when set; SQLite at `sqlitePath` otherwise. */
  databaseUrl: string | undefined;
  /** A PostgreSQL schema to use instead of the default search path. */
  databaseSchema: string | undefined;
  sqlitePath: string;
  /** Folder of the region pack in use. */
  regionDir: string;
  adminKey: string | undefined;
  /** Where derived files (caches) go. */
  varDir: string;
  logLevel: string;
}

/** The package's own folder (this file is src/lib/config.ts, or bundled into dist/cli/main.mjs). */
export const PACKAGE_ROOT = resolve(import.meta.dirname, '../..');

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readConfig(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535; got "${env.PORT}"`);
  }
  const region = env.REGION ?? 'sma';
  if (!/^[a-z][a-z0-9-]*$/.test(region) && !region.includes('/')) {
    throw new ConfigError(`REGION must be a region id such as "sma" or a folder path; got "${region}"`);
  }
  const varDir = resolve(root, env.TONGCHENG_VAR ?? 'var');
  return {
    host: env.HOST ?? '127.0.0.1',
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.DATABASE_SCHEMA || undefined,
    sqlitePath: resolve(varDir, 'tongcheng.sqlite'),
    // A region id names a pack that ships with Tongcheng; a path, one of the user's own.
    regionDir: region.includes('/') ? resolve(root, region) : resolve(PACKAGE_ROOT, 'data/regions', region),
    adminKey: env.TONGCHENG_ADMIN_KEY || undefined,
    varDir,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
