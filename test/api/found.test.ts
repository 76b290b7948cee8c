/** What the fuzz test found, each kept as a plain case so that it stays fixed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testStores } from '../../src/store/testing.ts';
import { callers, type Served, serve, snapshot } from './openapi.ts';

describe.each(testStores)('inputs the fuzz test found, on $dialect', (store) => {
  let served: Served;
  let admin: Record<string, string>;
  beforeAll(async () => {
    served = await serve(store);
    admin = (await callers(served.parties)).find((c) => c.role === 'admin')!.headers;
  });
  afterAll(async () => {
    await served.close();
  });

  const expectProblem = (
    response: { statusCode: number; headers: Record<string, unknown>; json(): any },
    status: number,
    fields: Record<string, unknown>,
  ) => {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status, ...fields });
  };

  it('answers a path parameter with bad percent-encoding with a problem', async () => {
    const response = await served.app.inject({ method: 'GET', url: '/api/region/cities/%' });
    expectProblem(response, 400, { code: 'invalid-url' });
  });

  it('answers a path parameter longer than the router takes with a problem', async () => {
    const response = await served.app.inject({
      method: 'DELETE',
      url: `/api/keys/${'a'.repeat(101)}`,
      headers: admin,
    });
    expectProblem(response, 414, { code: 'url-too-long' });
  });

  it('refuses text holding U+0000 (PostgreSQL cannot store it) naming the field, and writes nothing', async () => {
    const before = await snapshot(served.runtime);
    const key = await served.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: admin,
      payload: { party: 'tongcheng', role: 'public', label: 'a\u0000b' },
    });
    expectProblem(key, 400, { code: 'invalid-input', field: 'label' });
    const party = await served.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: admin,
      payload: { party: '\u0000', role: 'public' },
    });
    expectProblem(party, 400, { code: 'invalid-input', field: 'party' });
    const revoke = await served.app.inject({ method: 'DELETE', url: '/api/keys/%00', headers: admin });
    expectProblem(revoke, 400, { code: 'invalid-input', field: 'id' });
    const stops = await served.app.inject({ method: 'GET', url: '/api/transit/stops?q=%00' });
    expectProblem(stops, 400, { code: 'invalid-input', field: 'q' });
    expect(await snapshot(served.runtime)).toBe(before);
  });

  it('reads a body nested deeper than the stack, where the operation takes none', async () => {
    const deep = (inner: string) => `${'['.repeat(20_000)}${inner}${']'.repeat(20_000)}`;
    const send = (payload: string) =>
      served.app.inject({
        method: 'DELETE',
        url: '/api/keys/key_000000000000',
        headers: { ...admin, 'content-type': 'application/json' },
        payload,
      });
    expectProblem(await send(deep('')), 404, { code: 'unknown-key' });
    expectProblem(await send(deep('"\\u0000"')), 400, { code: 'invalid-input' });
  });
});
