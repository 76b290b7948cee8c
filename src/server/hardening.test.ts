/**
 * The holes closed in the HTTP server, each as a caller would find it: feeds named by path,
 * Fastify's and Node's own rejections, security headers, failed authentication without limit,
 * and heavy requests that starve cheap ones. On a listening server where sockets matter.
 */
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../lib/config.ts';
import type { App } from '../lib/http.ts';
import { openRuntime, type Runtime } from '../modules.ts';
import { partiesModule } from '../parties/index.ts';
import { testStores } from '../store/testing.ts';
import { buildApp } from './app.ts';

const ROOT = join(import.meta.dirname, '../..');

/** Sends raw bytes on a socket and returns all the server answers before it closes. */
function raw(port: number, bytes: string, then?: (send: (more: string) => void) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => {
      answer += d;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.write(bytes);
    then?.((more) => socket.write(more));
  });
}

const problemOf = (answer: string) => {
  const [head, body] = answer.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), head, body: JSON.parse(body) };
};

describe.each(testStores)('the hardened API on $dialect', ({ open }) => {
  let app: App;
  let runtime: Runtime;
  let drop: () => Promise<void>;
  let admin: string;
  let port: number;

  beforeAll(async () => {
    const opened = await open();
    await opened.store.close();
    drop = opened.drop;
    const config = readConfig(
      {
        DATABASE_URL: opened.url,
        DATABASE_SCHEMA: opened.schema,
        TONGCHENG_VAR: mkdtempSync(join(tmpdir(), 'tongcheng-hardening-')),
        REQUEST_TIMEOUT_MS: '1000',
        AUTH_FAILURES_PER_MINUTE: '5',
        TRANSIT_WORKERS: '1',
        TRANSIT_QUEUE: '2',
      },
      ROOT,
    );
    runtime = await openRuntime(config, 'write');
    admin = (await (await runtime.service(partiesModule)).ensureAdminKey(undefined, 'tongcheng'))!;
    app = await buildApp(runtime);
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await app.close();
    await runtime.close();
    await drop();
  });

  const get = (url: string, headers: Record<string, string> = {}, remoteAddress?: string) =>
    app.inject({ method: 'GET', url, headers, ...(remoteAddress ? { remoteAddress } : {}) });

  const expectProblem = (
    response: Awaited<ReturnType<typeof get>>,
    status: number,
    code: string,
    field?: string,
  ) => {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status, code, ...(field ? { field } : {}) });
  };

  it('names feeds by id only: a path in feed, base or with is a 400 naming it', async () => {
    expectProblem(await get('/api/transit/stops?feed=/etc'), 400, 'invalid-input', 'feed');
    expectProblem(await get('/api/transit/stops?feed=..%2F..%2Fetc'), 400, 'invalid-input', 'feed');
    expectProblem(await get('/api/transit/compare?base=/etc&with=today'), 400, 'invalid-input', 'base');
    expectProblem(
      await get('/api/transit/compare?base=today&with=data%2Fregions%2Fsma%2Fgtfs%2F2022'),
      400,
      'invalid-input',
      'with',
    );
    expectProblem(await get('/api/transit/matrix?feed=.'), 400, 'invalid-input', 'feed');
  });

  it('answers what Fastify refuses itself as problems with the registry code', async () => {
    expectProblem(await get(`/api/region?q=${'a'.repeat(5000)}`), 414, 'url-too-long');
    expectProblem(await get(`/api/region/cities/${'a'.repeat(200)}`), 414, 'url-too-long');
    expectProblem(await get('/api/region/cities/%zz'), 400, 'invalid-url');
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: { authorization: `Bearer ${admin}` },
      payload: { party: 'shanghai-metro', role: 'operator', colour: 'red' },
    });
    expectProblem(unknown, 400, 'invalid-input', 'colour');
    expect(unknown.json().detail).toMatch(/colour is not a property/);
    for (const lat of ['Infinity', '-Infinity', 'NaN', '1e999', '-1e999']) {
      expectProblem(await get(`/api/region/locate?lat=${lat}&lon=121`), 400, 'invalid-input', 'lat');
    }
    expect((await get('/api/region/locate?lat=31.23&lon=121.47')).statusCode).toBe(200);
  });

  it('answers headers too large (431) and bytes that are not HTTP (400) on the socket, as problems', async () => {
    const big = problemOf(
      await raw(port, `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
    );
    expect(big.status).toBe(431);
    expect(big.head).toMatch(/content-type: application\/problem\+json/i);
    expect(big.body).toMatchObject({ status: 431, code: 'headers-too-large' });
    const garbage = problemOf(await raw(port, 'HELLO THERE\r\n\r\n'));
    expect(garbage).toMatchObject({ status: 400, body: { code: 'invalid-input' } });
  });

  it('times out a request whose body does not arrive (408 problem)', async () => {
    const answer = await raw(
      port,
      'POST /api/keys HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"party"',
    );
    const timeout = problemOf(answer);
    expect(timeout.status).toBe(408);
    expect(timeout.body).toMatchObject({ status: 408, code: 'request-timeout' });
  });

  it('sets security headers, with a policy that lets the dashboard load its own files and blob: workers', async () => {
    const response = await get('/api/health');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/worker-src 'self' blob:/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
    const problem = await get('/api/nothing');
    expect(problem.headers['content-security-policy']).toBe(csp);
  });

  it('keeps secrets out of caches: a created key is Cache-Control: no-store', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: { authorization: `Bearer ${admin}` },
      payload: { party: 'suzhou-museum', role: 'museum' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
  });

  it('limits failed authentications per address (429 with Retry-After), never good ones', async () => {
    const guesser = '10.0.0.7';
    for (let i = 0; i < 5; i++) {
      expectProblem(
        await get('/api/keys', { authorization: `Bearer tc_guess${i}` }, guesser),
        401,
        'unauthorized',
      );
    }
    expectProblem(
      await get('/api/keys', { authorization: 'Bearer tc_guess5' }, guesser),
      401,
      'unauthorized',
    );
    const limited = await get('/api/keys', { authorization: 'Bearer tc_guess6' }, guesser);
    expectProblem(limited, 429, 'rate-limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right key waits: otherwise the limit would still tell right from wrong guesses.
    expectProblem(await get('/api/keys', { authorization: `Bearer ${admin}` }, guesser), 429, 'rate-limited');
    expectProblem(await get('/api/keys', { authorization: 'Basic abc' }, guesser), 429, 'rate-limited');
    // Another address is not concerned, and anonymous requests are not counted.
    expect((await get('/api/keys', { authorization: `Bearer ${admin}` }, '10.0.0.8')).statusCode).toBe(200);
    expect((await get('/api/region', {}, guesser)).statusCode).toBe(200);
    for (let i = 0; i < 20; i++) {
      expect((await get('/api/keys', { authorization: `Bearer ${admin}` }, '10.0.0.9')).statusCode).toBe(200);
    }
  });

  it('answers health while matrices are computed, and refuses heavy work beyond the threads and queue (503 busy)', async () => {
    const base = `http://127.0.0.1:${port}`;
    const order: string[] = [];
    const heavy = (i: number) =>
      fetch(`${base}/api/transit/matrix?window=06:0${i}-12:00&date=2026-12-01`).then(async (r) => {
        order.push(`heavy ${r.status}`);
        return { status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.json() };
      });
    // One thread and a queue of two: three are taken, the rest refused at once.
    const taken = [heavy(1), heavy(2), heavy(3)];
    const health = fetch(`${base}/api/health`).then((r) => {
      order.push(`health ${r.status}`);
      return r.status;
    });
    const refused = [heavy(4), heavy(5)];
    expect(await health).toBe(200);
    for (const r of await Promise.all(refused)) {
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({ code: 'busy', status: 503 });
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
    }
    for (const r of await Promise.all(taken)) expect(r.status).toBe(200);
    // Health came back before any matrix of the three: none held the event loop.
    expect(order.indexOf('health 200')).toBeLessThan(order.indexOf('heavy 200'));
    // Problems from a worker keep their code and field.
    expectProblem(await get('/api/transit/matrix?window=09:00-07:00'), 400, 'invalid-window', 'window');
    expectProblem(await get('/api/transit/compare?base=2022&with=nope'), 404, 'unknown-feed', 'with');
  });
});
