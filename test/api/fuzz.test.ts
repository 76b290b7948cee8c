import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULES } from '../../src/modules.ts';
import { testStores } from '../../src/store/testing.ts';
import { type FuzzOptions, fuzzOperation } from './fuzz.ts';
import { callers, operations, type Served, serve, validRequest } from './openapi.ts';
import { plantedFuzz } from './planted.ts';

/** FUZZ_SEED and FUZZ_RUNS replay a reported failure or fuzz longer. */
const OPTIONS: FuzzOptions = {
  seed: Number(process.env.FUZZ_SEED ?? 20261201),
  runs: Number(process.env.FUZZ_RUNS ?? 100),
};

async function fuzzAll(served: Served, options: FuzzOptions, under = '/api/'): Promise<string[]> {
  const who = await callers(served.parties);
  const admin = who.find((c) => c.role === 'admin')!;
  const anonymous = who.find((c) => c.name === 'no key')!;
  const failures: string[] = [];
  for (const op of operations(served.spec).filter((o) => o.path.startsWith(under))) {
    const valid = await validRequest(served.app, op, admin.headers);
    for (const caller of [admin, anonymous]) {
      const failure = await fuzzOperation(served.app, op, valid, caller, options);
      if (failure) failures.push(failure);
    }
  }
  return failures;
}

describe.each(testStores)('every operation on $dialect, given bad input', (store) => {
  let served: Served;
  beforeAll(async () => {
    served = await serve(store);
  });
  afterAll(async () => {
    await served.close();
  });

  it('answers with a problem of the registry, never a 5xx', {
    timeout: 30_000 + OPTIONS.runs * 100,
  }, async () => {
    expect(await fuzzAll(served, OPTIONS)).toEqual([]);
  });
});

describe('the fuzz check', () => {
  it('catches a 5xx, an error that is not a problem, and a problem with the wrong status', async () => {
    const served = await serve(testStores[0], [...MODULES, plantedFuzz]);
    try {
      // A seed of its own: this test must not depend on FUZZ_SEED.
      const found = await fuzzAll(served, { seed: 1, runs: 100 }, '/api/planted/');
      expect(found.map((f) => f.split(':')[0]).sort()).toEqual(
        [
          'GET /api/planted/crash as admin',
          'GET /api/planted/crash as no key',
          'GET /api/planted/plain-error as admin',
          'GET /api/planted/plain-error as no key',
          'GET /api/planted/wrong-status as admin',
          'GET /api/planted/wrong-status as no key',
        ].sort(),
      );
      expect(found.find((f) => f.startsWith('GET /api/planted/crash as admin'))).toMatch(
        /: 500: .*faults .*seed/,
      );
      expect(found.find((f) => f.startsWith('GET /api/planted/plain-error as admin'))).toMatch(
        /: 400 with content-type application\/json.*, not application\/problem\+json/,
      );
      expect(found.find((f) => f.startsWith('GET /api/planted/wrong-status as admin'))).toMatch(
        /: 422 problem whose status field says 400/,
      );
    } finally {
      await served.close();
    }
  });
});
