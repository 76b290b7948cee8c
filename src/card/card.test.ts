import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FareEngine } from '../fares/engine.ts';
import { readFareFeed } from '../fares/feed.ts';
import { ledgerModule } from '../ledger/index.ts';
import type { LedgerService } from '../ledger/service.ts';
import { LOCAL_ADMIN, type Principal } from '../lib/access.ts';
import type { Runtime } from '../modules.ts';
import { partiesModule } from '../parties/index.ts';
import { regionModule } from '../region/index.ts';
import { testStores } from '../store/testing.ts';
import { openTestRuntime } from '../testing.ts';
import type { Tap, TapBatch } from './model.ts';
import { withCheckDigit } from './numbers.ts';
import { CardService, cardAccount } from './service.ts';
import { deviceKeyFromSeed, privateKeyObject, signBatch } from './signing.ts';
import { CardStore } from './store.ts';

const ROOT = join(import.meta.dirname, '../..');
const engine = new FareEngine(readFareFeed([join(ROOT, 'test/fixtures/fares-card')]));
const OPERATORS = ['metro-a', 'bus-b', 'rail-x'];
const NOW = new Date('2026-12-01T12:00:00+08:00');
const key = (n: number) => deviceKeyFromSeed(new Uint8Array(32).fill(n));
const DEVICES = {
  metro: { id: 'metro-gate-1', party: 'metro-a', key: key(1) },
  rail: { id: 'rail-gate-1', party: 'rail-x', key: key(2) },
  bus: { id: 'bus-1-a', party: 'bus-b', key: key(3) },
};
const operatorKey: Principal = { keyId: 'k', party: 'metro-a', role: 'operator' };
const at = (day: number, hhmm: string) => `2026-11-${String(day).padStart(2, '0')}T${hhmm}:00+08:00`;
const card = (n: number) => withCheckDigit(`3100000${String(n).padStart(8, '0')}`);

/** Batches signed as each device would; `seq` per device counts up (over the whole file) unless given. */
const seqs = new Map<string, number>();
function batches() {
  return (device: keyof typeof DEVICES, taps: Tap[], seq?: number): TapBatch => {
    const d = DEVICES[device];
    const next = seq ?? (seqs.get(d.id) ?? 0) + 1;
    seqs.set(d.id, Math.max(next, seqs.get(d.id) ?? 0));
    return signBatch({ device: d.id, seq: next, taps }, privateKeyObject(d.key));
  };
}

const tap = (
  id: string,
  number: string,
  kind: Tap['kind'],
  stop: string,
  when: string,
  route?: string,
): Tap => ({
  id,
  card: number,
  kind,
  stop,
  at: when,
  ...(route ? { route } : {}),
});

describe.each(testStores)('Metropolitan Tong on $dialect', (testStore) => {
  let runtime: Runtime;
  let cards: CardService;
  let ledger: LedgerService;
  let close: () => Promise<void>;

  beforeAll(async () => {
    seqs.clear();
    const opened = await openTestRuntime(testStore);
    runtime = opened.runtime;
    close = opened.close;
    const parties = await runtime.service(partiesModule);
    await parties.seed([
      ...(await parties.listParties()),
      ...OPERATORS.map((id) => ({
        id,
        kind: 'operator' as const,
        name: { en: id },
        jurisdiction: 'shanghai',
      })),
    ]);
    ledger = await runtime.service(ledgerModule);
    const store = runtime.store()!;
    cards = new CardService(
      new CardStore(store.db, store.dialect),
      ledger,
      () => engine,
      await runtime.service(regionModule),
      {
        operators: OPERATORS,
        issuers: ['shanghai', 'jiangsu', 'zhejiang'],
      },
    );
    await cards.seed();
    for (const d of Object.values(DEVICES)) {
      await cards.registerValidator(LOCAL_ADMIN, { id: d.id, party: d.party, publicKey: d.key.publicKey });
    }
  });
  afterAll(() => close?.());

  const issue = async (n: number, category: 'adult' | 'student' = 'adult') => {
    const number = card(n);
    await cards.issue(LOCAL_ADMIN, { number, category, issuer: 'jiangsu' }, NOW);
    await cards.topUp(LOCAL_ADMIN, number, { id: 'first', amount: 20_000 }, NOW);
    return number;
  };
  const balance = async (number: string) => (await cards.card(LOCAL_ADMIN, number)).balance;

  it('takes each tap once, prices the leg and posts it; the same batch again changes nothing', async () => {
    const number = await issue(1);
    const sign = batches();
    const batch = sign('metro', [
      tap('a1', number, 'entry', 'M1', at(24, '08:00')),
      tap('a2', number, 'exit', 'M3', at(24, '08:30')),
    ]);
    const first = await cards.ingest(LOCAL_ADMIN, batch, NOW);
    expect(first).toMatchObject({ status: 'accepted', accepted: 2, rejected: 0 });
    expect(await balance(number)).toBe(20_000 - 400);
    const again = await cards.ingest(LOCAL_ADMIN, batch, NOW);
    expect(again.status).toBe('exists');
    expect(again.taps).toEqual(first.taps);
    expect(await balance(number)).toBe(20_000 - 400);
    // The same taps in a later batch are taken as known, not twice.
    const later = await cards.ingest(LOCAL_ADMIN, sign('metro', batch.taps), NOW);
    expect(later.taps.map((t) => t.result)).toEqual(['exists', 'exists']);
    expect(await balance(number)).toBe(20_000 - 400);
  });

  it('refuses a forged batch, and one from another operator’s device, changing nothing', async () => {
    const number = await issue(2);
    const sign = batches();
    const good = sign('rail', [tap('f1', number, 'entry', 'R1', at(24, '07:00'))], 1);
    const forged = { ...good, taps: [{ ...good.taps[0], stop: 'R2' }] };
    const before = await balance(number);
    expect((await cards.ingest(LOCAL_ADMIN, forged, NOW)).taps[0].result).toBe('bad-signature');
    expect((await cards.ingest(operatorKey, good, NOW)).taps[0].result).toBe('device-of-another-operator');
    expect(await balance(number)).toBe(before);
    // Neither used up the batch number: the real batch is taken.
    expect((await cards.ingest(LOCAL_ADMIN, good, NOW)).status).toBe('accepted');
  });

  it('gives each refused tap its reason', async () => {
    const number = await issue(3);
    const lost = await issue(4);
    await cards.hotlist(LOCAL_ADMIN, lost, { reason: 'lost', at: at(24, '12:00') }, NOW);
    const result = await cards.ingest(
      LOCAL_ADMIN,
      batches()(
        'metro',
        [
          tap('r1', card(999), 'entry', 'M1', at(24, '08:00')),
          tap('r2', number, 'entry', 'M1', '2026-12-01T13:00:00+08:00'),
          tap('r3', number, 'entry', 'NOWHERE', at(24, '08:00')),
          tap('r4', lost, 'entry', 'M1', at(24, '13:00')),
          tap('r5', lost, 'entry', 'M1', at(24, '11:00')),
        ],
        50,
      ),
      NOW,
    );
    expect(result.taps.map((t) => t.result)).toEqual([
      'unknown-card',
      'time-in-future',
      'unknown-stop',
      'hotlisted-card',
      'accepted',
    ]);
    expect(result.missingBatches.length).toBeGreaterThan(0);
  });

  it('reports the batches a validator never sent, and refuses a number reused for other taps', async () => {
    const number = await issue(5);
    const gates = (await cards.listValidators(LOCAL_ADMIN)).find((v) => v.id === DEVICES.bus.id)!;
    const sign = batches();
    const base = gates.lastBatch;
    await cards.ingest(
      LOCAL_ADMIN,
      sign('bus', [tap('g1', number, 'board', 'B1', at(24, '09:00'), 'bus-1')], base + 1),
      NOW,
    );
    const third = await cards.ingest(
      LOCAL_ADMIN,
      sign('bus', [tap('g3', number, 'board', 'B1', at(24, '10:00'), 'bus-1')], base + 3),
      NOW,
    );
    expect(third.missingBatches).toContain(base + 2);
    await expect(
      cards.ingest(
        LOCAL_ADMIN,
        sign('bus', [tap('g9', number, 'board', 'B1', at(24, '11:00'), 'bus-1')], base + 3),
        NOW,
      ),
    ).rejects.toMatchObject({ code: 'batch-exists-different', status: 409 });
  });

  it('charges a missing exit the maximum fare, and refunds the difference when the exit arrives late', async () => {
    const number = await issue(6);
    const sign = batches();
    await cards.ingest(LOCAL_ADMIN, sign('metro', [tap('m1', number, 'entry', 'M1', at(25, '08:00'))]), NOW);
    expect(await balance(number)).toBe(20_000 - 500);
    await cards.ingest(LOCAL_ADMIN, sign('metro', [tap('m2', number, 'exit', 'M2', at(25, '08:20'))]), NOW);
    expect(await balance(number)).toBe(20_000 - 300);
    const [day] = await cards.days(LOCAL_ADMIN, number, '2026-11-25', '2026-11-25', NOW);
    expect(day.legs).toMatchObject([{ status: 'complete', fare: 300 }]);
  });

  it('holds the maximum fare while a journey is open, and releases it at the exit', async () => {
    const number = await issue(7);
    const sign = batches();
    const now = new Date('2026-11-26T08:10:00+08:00');
    await cards.ingest(LOCAL_ADMIN, sign('metro', [tap('h1', number, 'entry', 'M1', at(26, '08:00'))]), now);
    expect(await cards.card(LOCAL_ADMIN, number)).toMatchObject({ balance: 20_000, held: 500 });
    await cards.ingest(
      LOCAL_ADMIN,
      sign('metro', [tap('h2', number, 'exit', 'M3', at(26, '08:40'))]),
      new Date(at(26, '08:45')),
    );
    expect(await cards.card(LOCAL_ADMIN, number)).toMatchObject({ balance: 20_000 - 400, held: 0 });
  });

  it('caps the day across operators', async () => {
    const number = await issue(8);
    const sign = batches();
    await cards.ingest(
      LOCAL_ADMIN,
      sign('rail', [
        tap('c1', number, 'entry', 'R1', at(24, '07:00')),
        tap('c2', number, 'exit', 'R2', at(24, '07:40')),
        tap('c3', number, 'entry', 'R2', at(24, '18:00')),
        tap('c4', number, 'exit', 'R1', at(24, '18:40')),
      ]),
      NOW,
    );
    await cards.ingest(
      LOCAL_ADMIN,
      sign('metro', [
        tap('c5', number, 'entry', 'M1', at(24, '19:00')),
        tap('c6', number, 'exit', 'M2', at(24, '19:10')),
      ]),
      NOW,
    );
    expect(await balance(number)).toBe(20_000 - 3000);
  });

  it('settles a day: positions sum to zero and every operator ties back to its taps', async () => {
    const { run, tieBack } = await cards.settle(LOCAL_ADMIN, '2026-11-24', 'party', NOW);
    expect(run.positions.reduce((s, p) => s + p.net, 0)).toBe(0);
    expect(run.positions.length).toBeGreaterThan(1);
    expect(tieBack.length).toBeGreaterThan(0);
    for (const t of tieBack) expect(t).toMatchObject({ agrees: true });
  });

  it('moves the stored value to a replacement card', async () => {
    const number = await issue(9);
    const fresh = await cards.replace(LOCAL_ADMIN, number, NOW);
    expect(fresh.balance).toBe(20_000);
    expect(await cards.card(LOCAL_ADMIN, number)).toMatchObject({
      status: 'replaced',
      balance: 0,
      replacedBy: fresh.number,
    });
    const delta = await cards.hotlistDelta(LOCAL_ADMIN, 0);
    expect(delta.entries.map((e) => e.card)).toContain(number);
    expect((await cards.hotlistDelta(LOCAL_ADMIN, delta.version)).entries).toEqual([]);
  });

  it('whatever order and however often batches arrive, ends where one clean run ends', async () => {
    // One rider's week of taps on three operators, cut into batches; every arrival order and
    // any repeats end with the same stored value, the ledger balanced, and fares never above
    // the uncapped sum.
    const week = [
      ['metro', 'entry', 'M1', at(23, '07:30')],
      ['metro', 'exit', 'M4', at(23, '08:05')],
      ['rail', 'entry', 'R1', at(23, '08:20')],
      ['rail', 'exit', 'R2', at(23, '08:55')],
      ['bus', 'board', 'B1', at(23, '09:05')],
      ['bus', 'board', 'B1', at(23, '17:30')],
      ['rail', 'entry', 'R2', at(23, '18:00')],
      ['metro', 'entry', 'M2', at(24, '07:00')],
      ['metro', 'exit', 'M3', at(24, '07:20')],
      ['rail', 'entry', 'R1', at(26, '08:00')],
      ['rail', 'exit', 'R2', at(26, '08:40')],
    ] as const;
    let n = 100;
    const ledgerTotal = async () => {
      const accounts = (
        await Promise.all(['shanghai', 'jiangsu', ...OPERATORS].map((p) => ledger.accounts(LOCAL_ADMIN, p)))
      ).flat();
      return accounts.reduce((s, a) => s + a.balance.debitsPosted - a.balance.creditsPosted, 0);
    };
    const orders = fc.array(fc.integer({ min: 0, max: week.length - 1 }), {
      minLength: week.length,
      maxLength: 20,
    });
    let expected: number | undefined;
    await fc.assert(
      fc.asyncProperty(orders, async (order) => {
        const number = await issue(n++);
        const sign = batches();
        // Each position of `order` sends one tap in a batch of its own device; repeats resend it.
        const all = [...new Set([...order, ...week.keys()])];
        for (const i of [...order, ...all]) {
          const [device, kind, stop, when] = week[i];
          await cards.ingest(
            LOCAL_ADMIN,
            sign(device, [
              tap(`${number}-${i}`, number, kind, stop, when, device === 'bus' ? 'bus-1' : undefined),
            ]),
            NOW,
          );
        }
        const left = await balance(number);
        expected ??= left;
        expect(left).toBe(expected);
        expect(await ledgerTotal()).toBe(0);
      }),
      { numRuns: 8 },
    );
    // The week alone, uncapped: what capping may only lower.
    expect(20_000 - expected!).toBeLessThanOrEqual(500 + 2000 + 200 + 200 + 2000 + 400 + 2000);
    expect(20_000 - expected!).toBeGreaterThan(0);
  });

  it('keeps card numbers out of the ledger', async () => {
    const number = await issue(200);
    const account = await ledger.accounts(LOCAL_ADMIN, 'jiangsu');
    expect(JSON.stringify(account)).not.toContain(number);
    expect(cardAccount({ account: 'x' })).toBe('card:x');
  });
});
