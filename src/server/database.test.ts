/**
 * The server and a PostgreSQL that fails under it, for real: its backends terminated by the
 * database, and a database that accepts connections and never answers (a TCP server in its
 * place). The server lives on, says 503 within a second, and recovers by itself.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../lib/config.ts';
import type { App } from '../lib/http.ts';
import { openRuntime, type Runtime } from '../modules.ts';
import { partiesModule } from '../parties/index.ts';
import { testStores } from '../store/testing.ts';
import { buildApp } from './app.ts';

const ROOT = join(import.meta.dirname, '../..');
const postgres = testStores.find((s) => s.dialect === 'postgres');

/**
 * A TCP server in front of PostgreSQL: it forwards, or (silent) accepts and never answers.
 * `cut` ends the connections it forwards, as a database restart or a lost network would.
 */
async function startProxy(target: URL) {
  let silent = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    if (silent) return;
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    set silent(value: boolean) {
      silent = value;
    },
    cut() {
      for (const s of sockets) s.destroy();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(postgres)('the server on a failing PostgreSQL', () => {
  let app: App;
  let runtime: Runtime;
  let drop: () => Promise<void>;
  let admin: string;
  let url: URL;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  const applicationName = `tongcheng_test_${randomBytes(4).toString('hex')}`;
  const connectionErrors: Error[] = [];

  beforeAll(async () => {
    const opened = await postgres!.open();
    await opened.store.close();
    drop = opened.drop;
    url = new URL(opened.url!);
    proxy = await startProxy(url);
    const viaProxy = new URL(url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    viaProxy.searchParams.set('application_name', applicationName);
    const config = readConfig(
      {
        DATABASE_URL: viaProxy.href,
        DATABASE_SCHEMA: opened.schema,
        DATABASE_CONNECT_TIMEOUT_MS: '300',
        TONGCHENG_VAR: mkdtempSync(join(tmpdir(), 'tongcheng-pg-')),
      },
      ROOT,
    );
    runtime = await openRuntime(config, 'write');
    admin = (await (await runtime.service(partiesModule)).ensureAdminKey(undefined, 'tongcheng'))!;
    app = await buildApp(runtime);
    const log = runtime.store()!.onConnectionError;
    runtime.store()!.onConnectionError = (error) => {
      connectionErrors.push(error);
      log(error);
    };
  });
  afterAll(async () => {
    await app.close();
    await runtime.close();
    proxy.cut();
    await proxy.close();
    await drop();
  });

  const keys = () =>
    app.inject({ method: 'GET', url: '/api/keys', headers: { authorization: `Bearer ${admin}` } });
  const health = async () => {
    const t0 = performance.now();
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    return { status: response.statusCode, body: response.json(), ms: performance.now() - t0 };
  };

  it('lives on when PostgreSQL terminates its backends, and the next requests succeed', async () => {
    // Several connections in the pool, all idle.
    await Promise.all([keys(), keys(), keys(), health()]);
    const admin = new pg.Client({ connectionString: url.href });
    await admin.connect();
    const { rows } = await admin.query(
      'select pg_terminate_backend(pid) as ended from pg_stat_activity where application_name = $1',
      [applicationName],
    );
    await admin.end();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.ended)).toBe(true);
    for (let i = 0; i < 100 && connectionErrors.length < rows.length; i++) await sleep(20);
    expect(connectionErrors.length).toBeGreaterThanOrEqual(rows.length);
    expect((await health()).status).toBe(200);
    const after = await keys();
    expect(after.statusCode).toBe(200);
    expect(after.json().length).toBeGreaterThan(0);
  });

  it('says 503 within a second when the database accepts and never answers, and recovers by itself', async () => {
    expect((await health()).status).toBe(200);
    proxy.silent = true;
    proxy.cut();
    for (let i = 0; i < 3; i++) {
      const down = await health();
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ status: 'unavailable', store: 'postgres' });
      expect(down.ms).toBeLessThan(1000);
    }
    proxy.silent = false;
    let up = await health();
    for (let i = 0; i < 50 && up.status !== 200; i++) {
      await sleep(100);
      up = await health();
    }
    expect(up.status).toBe(200);
    expect((await keys()).statusCode).toBe(200);
  });
});
