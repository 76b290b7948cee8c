import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../lib/config.ts';
import type { App } from '../lib/http.ts';
import { openRuntime, type Runtime } from '../modules.ts';
import { partiesModule } from '../parties/index.ts';
import { testStores } from '../store/testing.ts';
import { buildApp } from './app.ts';

describe.each(testStores)('the API on $dialect', ({ dialect, open }) => {
  let app: App;
  let runtime: Runtime;
  let drop: () => Promise<void>;
  let admin: string;

  beforeAll(async () => {
    const opened = await open();
    await opened.store.close();
    drop = opened.drop;
    const varDir = mkdtempSync(join(tmpdir(), 'tongcheng-api-'));
    const config = readConfig(
      { DATABASE_URL: opened.url, DATABASE_SCHEMA: opened.schema, TONGCHENG_VAR: varDir },
      join(import.meta.dirname, '../..'),
    );
    runtime = await openRuntime(config, 'write');
    admin = (await (await runtime.service(partiesModule)).ensureAdminKey(undefined, 'tongcheng'))!;
    app = await buildApp(runtime);
  });
  afterAll(async () => {
    await app.close();
    await runtime.close();
    await drop();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers });

  it('reports health with the store in use', async () => {
    const response = await get('/api/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', store: dialect, region: 'sma' });
  });

  it('lists the region: 9 cities, 3 jurisdictions', async () => {
    const body = (await get('/api/region')).json();
    expect(body.cities).toHaveLength(9);
    expect(body.jurisdictions).toHaveLength(3);
    expect(body.cities[0]).toMatchObject({
      id: 'shanghai',
      name: { 'zh-Hans': '上海', en: 'Shanghai' },
      jurisdiction: 'shanghai',
    });
    expect(body.boundaries).toBeUndefined();
  });

  it('finds a city by id or name, and says 404 problem otherwise', async () => {
    expect((await get('/api/region/cities/suzhou')).json().name['zh-Hans']).toMatch(/^苏州/);
    expect((await get(`/api/region/cities/${encodeURIComponent('宁波')}`)).json().id).toBe('ningbo');
    const missing = await get('/api/region/cities/atlantis');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.json()).toMatchObject({
      status: 404,
      code: 'unknown-city',
      detail: expect.stringContaining('atlantis'),
    });
  });

  it('locates the Bund in Shanghai', async () => {
    const body = (await get('/api/region/locate?lat=31.23&lon=121.47')).json();
    expect(body).toMatchObject({
      city: { id: 'shanghai' },
      jurisdiction: { id: 'shanghai' },
      district: null,
      onBoundaryOf: [],
    });
  });

  it('answers bad coordinates with a 400 problem naming the field', async () => {
    const response = await get('/api/region/locate?lat=abc');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      status: 400,
      code: 'invalid-input',
      field: 'lat',
      type: expect.any(String),
      title: 'Invalid input',
    });
    const missing = (await get('/api/region/locate?lat=31')).json();
    expect(missing).toMatchObject({ field: 'lon', detail: 'querystring.lon is required' });
    const far = (await get('/api/region/locate?lat=91&lon=0')).json();
    expect(far).toMatchObject({ field: 'lat' });
  });

  it('serves GeoJSON boundaries', async () => {
    const response = await get('/api/region/boundaries');
    expect(response.headers['content-type']).toMatch(/application\/geo\+json/);
    const features = response.json().features;
    expect(features.filter((f: any) => f.properties.kind === 'city')).toHaveLength(9);
  });

  it('manages keys for admins only, with problems for everyone else', async () => {
    const auth = { authorization: `Bearer ${admin}` };
    const created = await app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: auth,
      payload: { party: 'shanghai-metro', role: 'operator' },
    });
    expect(created.statusCode).toBe(201);
    const { key, secret } = created.json();
    const asOperator = await get('/api/keys', { authorization: `Bearer ${secret}` });
    expect(asOperator.statusCode).toBe(403);
    expect(asOperator.json().code).toBe('forbidden');
    expect((await get('/api/keys')).statusCode).toBe(403);
    expect((await get('/api/keys', { authorization: 'Bearer tc_nope' })).statusCode).toBe(401);
    expect((await get('/api/keys', { authorization: 'Basic abc' })).json().code).toBe('unauthorized');
    const listed = (await get('/api/keys', auth)).json();
    expect(listed.map((k: any) => k.id)).toContain(key.id);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const badRole = await app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: auth,
      payload: { party: 'shanghai-metro', role: 'king' },
    });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().field).toBe('role');
    const badJson = await app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"party":',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.headers['content-type']).toMatch(/problem\+json/);
    const revoked = await app.inject({ method: 'DELETE', url: `/api/keys/${key.id}`, headers: auth });
    expect(revoked.json().revokedAt).toEqual(expect.any(String));
    expect((await get('/api/region', { authorization: `Bearer ${secret}` })).statusCode).toBe(401);
  });

  it('lists parties seeded from the pack', async () => {
    const parties = (await get('/api/parties')).json();
    const kinds = new Set(parties.map((p: any) => p.kind));
    expect([...kinds].sort()).toEqual(['agency', 'jurisdiction', 'museum', 'operator', 'scheme']);
  });

  it('plans rail journeys and answers bad questions with problems', async () => {
    const route = await get(
      `/api/transit/route?from=${encodeURIComponent('上海虹桥')}&to=Hangzhou%20East&at=2026-12-01T08:00`,
    );
    expect(route.statusCode).toBe(200);
    const ride = route.json().journeys[0].legs[0];
    expect(ride).toMatchObject({
      kind: 'ride',
      from: { id: 'shanghai_hongqiao', city: 'shanghai' },
      to: { city: 'hangzhou' },
    });
    expect(ride.route.color).toMatch(/^#[0-9a-f]{6}$/);
    const stats = (await get('/api/transit/stats?date=2026-12-01')).json();
    expect(stats).toMatchObject({ lines: 23, feed: 'today' });
    const outside = await get('/api/transit/route?from=Huzhou&to=Wuxi&at=2031-01-01T08:00');
    expect(outside.statusCode).toBe(422);
    expect(outside.json()).toMatchObject({ code: 'date-outside-feed', field: 'date' });
    const badWindow = await get('/api/transit/matrix?window=7-9');
    expect(badWindow.statusCode).toBe(400);
    expect(badWindow.json().field).toBe('window');
    const missing = await get('/api/transit/departures');
    expect(missing.json()).toMatchObject({ status: 400, field: 'stop' });
    const feeds = (await get('/api/transit/feeds')).json();
    expect(feeds.map((f: { id: string }) => f.id)).toEqual(['today', '2022']);
  });

  it('documents itself in OpenAPI and answers unknown routes with a problem', async () => {
    const spec = (await get('/api/openapi.json')).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/region', '/api/region/locate', '/api/keys']),
    );
    expect((await get('/api/docs')).statusCode).toBeLessThan(400);
    const missing = await get('/api/nothing-here');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('not-found');
  });
});
