import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULES } from '../../src/modules.ts';
import { testStores } from '../../src/store/testing.ts';
import { checkAccess } from './access.ts';
import { operations, type Served, serve } from './openapi.ts';
import { plantedAccess, undeclared } from './planted.ts';

describe.each(testStores)('every operation on $dialect', (store) => {
  let served: Served;
  beforeAll(async () => {
    served = await serve(store);
  });
  afterAll(async () => {
    await served.close();
  });

  it('answers every caller as its declared access says', async () => {
    expect(operations(served.spec).length).toBeGreaterThan(10);
    expect(await checkAccess(served)).toEqual([]);
  });
});

describe('the access check', () => {
  it('catches a forgotten check, a lying declaration, a write before the check and an unchecked party', async () => {
    const served = await serve(testStores[0], [...MODULES, plantedAccess]);
    try {
      const found = await checkAccess(served);
      const planted = found.filter((d) => d.includes('/api/planted/'));
      expect(planted).toEqual(found);
      const by = (path: string) => planted.filter((d) => d.includes(`/api/planted/${path}`));
      expect(by('forgets')).toContain(
        'GET /api/planted/forgets as no key: refused by its declaration (403 forbidden), got 200',
      );
      expect(by('forgets')).toHaveLength(5);
      expect(by('lies')).toContain(
        'GET /api/planted/lies as no key: allowed by its declaration, got 403 forbidden',
      );
      expect(by('writes-first')).toContain(
        'POST /api/planted/writes-first as no key: refused, yet the database changed',
      );
      expect(by('any-party')).toEqual([
        expect.stringMatching(
          /^GET \/api\/planted\/any-party as operator for another party \(\S+\): refused by its declaration \(403 forbidden\), got 200$/,
        ),
      ]);
      expect(by('own-party')).toEqual([]);
    } finally {
      await served.close();
    }
  });

  it('refuses to build a server with a route that does not declare its access, naming the route', async () => {
    await expect(serve(testStores[0], [...MODULES, undeclared])).rejects.toThrow(
      'route GET /api/undeclared declares no access',
    );
  });
});
