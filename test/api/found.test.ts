/** What the fuzz test found, each kept as a plain case so that it stays fixed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testStores } from '../../src/store/testing.ts';
import { callers, type Served, serve } from './openapi.ts';

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
});
