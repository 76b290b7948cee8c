import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ADMIN } from '../lib/access.ts';
import { partiesModule } from '../parties/index.ts';
import type { Party } from '../parties/model.ts';
import { PartiesService } from '../parties/service.ts';
import { PartiesStore } from '../parties/store.ts';
import { inTransaction, mergeMigrations, migrate } from '../store/index.ts';
import { testStores } from '../store/testing.ts';
import type { AccountSpec, Balance, NewTransfer } from './model.ts';
import { LedgerService } from './service.ts';
import { csvField, statementCsv } from './statement.ts';
import { LedgerStore, type LedgerTables, migrations } from './store.ts';

const PARTIES: Party[] = [
  { id: 'tongcheng', kind: 'scheme', name: { en: 'Tongcheng' }, jurisdiction: null },
  { id: 'shanghai', kind: 'jurisdiction', name: { en: 'Shanghai' }, jurisdiction: 'shanghai' },
  { id: 'jiangsu', kind: 'jurisdiction', name: { en: 'Jiangsu' }, jurisdiction: 'jiangsu' },
  { id: 'shanghai-metro', kind: 'operator', name: { en: 'Shanghai Metro' }, jurisdiction: 'shanghai' },
  { id: 'suzhou-metro', kind: 'operator', name: { en: 'Suzhou Metro' }, jurisdiction: 'jiangsu' },
  { id: 'wuxi-metro', kind: 'operator', name: { en: 'Wuxi, "Metro"' }, jurisdiction: 'jiangsu' },
];
const OPERATORS = ['shanghai-metro', 'suzhou-metro', 'wuxi-metro'];
const AT = '2026-12-01T08:00:00+08:00';

const card = (n: number): AccountSpec => ({
  id: `card:${n}`,
  party: 'tongcheng',
  purpose: 'stored-value',
  flags: { debitsMustNotExceedCredits: true },
});
const revenue = (party: string): AccountSpec => ({ id: `${party}:revenue`, party, purpose: 'revenue' });
const FLOAT: AccountSpec = { id: 'tongcheng:float', party: 'tongcheng', purpose: 'float' };

let counter = 0;
const nextId = (prefix = 't') => `${prefix}-${++counter}`;

describe.each(testStores)('the ledger on $dialect', ({ dialect, open }) => {
  let opened: Awaited<ReturnType<typeof open>>;
  let ledger: LedgerService;

  /** Balances recomputed from the transfers and the pending state alone. */
  async function recomputed(): Promise<Map<string, Balance>> {
    const db = opened.store.db.withTables<LedgerTables>();
    const transfers = await db.selectFrom('ledger_transfers').selectAll().execute();
    const pending = await db
      .selectFrom('ledger_pending')
      .selectAll()
      .where('state', '=', 'pending')
      .execute();
    const out = new Map<string, Balance>();
    const get = (id: string) => {
      let b = out.get(id);
      if (!b) {
        b = { debitsPosted: 0, creditsPosted: 0, debitsPending: 0, creditsPending: 0 };
        out.set(id, b);
      }
      return b;
    };
    for (const t of transfers) {
      if (t.type === 'single' || t.type === 'post') {
        get(t.debit_account).debitsPosted += t.amount;
        get(t.credit_account).creditsPosted += t.amount;
      }
    }
    for (const p of pending) {
      get(p.debit_account).debitsPending += p.amount;
      get(p.credit_account).creditsPending += p.amount;
    }
    return out;
  }

  async function allBalances(): Promise<Map<string, Balance>> {
    const ids = (await ledger.accounts(LOCAL_ADMIN)).map((a) => a.id);
    const b = await ledger.balances(ids);
    // Accounts nothing touched have zero balances; the recomputation leaves them out.
    for (const [id, v] of b) if (Object.values(v).every((x) => x === 0)) b.delete(id);
    return b;
  }

  const topUp = (n: number, amount: number, at = AT): NewTransfer => ({
    id: nextId('top-up'),
    debit: FLOAT.id,
    credit: `card:${n}`,
    amount,
    at,
    kind: 'top-up',
  });

  beforeAll(async () => {
    opened = await open();
    await migrate(
      opened.store,
      mergeMigrations([
        { module: 'parties', migrations: partiesModule.migrations! },
        { module: 'ledger', migrations },
      ]),
    );
    await new PartiesService(new PartiesStore(opened.store.db)).seed(PARTIES);
    ledger = new LedgerService(new LedgerStore(opened.store.db, dialect), 'Asia/Shanghai');
    await ledger.ensureAccounts([
      FLOAT,
      ...OPERATORS.map(revenue),
      ...Array.from({ length: 20 }, (_, i) => card(i)),
    ]);
  });
  afterAll(() => opened.drop());

  it('ensures accounts idempotently, and refuses the same id with other content', async () => {
    await ledger.ensureAccounts([card(1), revenue('shanghai-metro')]);
    await expect(ledger.ensureAccounts([{ ...card(1), flags: {} }])).rejects.toMatchObject({
      code: 'account-exists-different',
      status: 409,
    });
    await expect(ledger.ensureAccounts([{ ...card(99), party: 'nobody' }])).rejects.toMatchObject({
      code: 'unknown-party',
    });
    expect((await ledger.accounts(LOCAL_ADMIN, 'tongcheng')).find((a) => a.id === 'card:1')?.flags).toEqual({
      debitsMustNotExceedCredits: true,
    });
  });

  it('creates a transfer once: the same again exists, other content is a 409', async () => {
    const t = topUp(2, 5000);
    expect(await ledger.createTransfers([t])).toEqual([{ id: t.id, result: 'created' }]);
    expect(await ledger.createTransfers([{ ...t, at: '2026-12-01T00:00:00Z' }])).toEqual([
      { id: t.id, result: 'exists' },
    ]);
    const [different] = await ledger.createTransfers([{ ...t, amount: 5001 }]);
    expect(different.result).toBe('transfer-exists-different');
    await expect(ledger.createTransfersOrThrow([{ ...t, amount: 5001 }])).rejects.toMatchObject({
      status: 409,
    });
    expect((await ledger.balances(['card:2'])).get('card:2')?.creditsPosted).toBe(5000);
  });

  it('refuses bad transfers with clear codes, each alone', async () => {
    const ok = topUp(3, 100);
    const results = await ledger.createTransfers([
      { ...topUp(3, 0) },
      { ...topUp(3, 1.5) },
      { ...topUp(3, 2 ** 53) },
      { ...topUp(3, 100), credit: FLOAT.id },
      { ...topUp(3, 100), credit: 'card:nobody' },
      { ...topUp(3, 100), at: '2026-12-01 08:00' },
      { ...topUp(3, 100), id: 'x'.repeat(101) },
      { ...topUp(3, 100), corrects: 'never-was' },
      ok,
    ]);
    expect(results.map((r) => r.result)).toEqual([
      'invalid-amount',
      'invalid-amount',
      'invalid-amount',
      'same-account',
      'unknown-account',
      'invalid-transfer',
      'invalid-transfer',
      'unknown-transfer',
      'created',
    ]);
    const fix = { ...topUp(3, 10), kind: 'correction', corrects: ok.id };
    expect((await ledger.createTransfers([fix]))[0].result).toBe('created');
  });

  it('keeps a limited account from going below zero, counting holds', async () => {
    await ledger.createTransfersOrThrow([topUp(4, 300)]);
    const fare = (amount: number, extra: Partial<NewTransfer> = {}): NewTransfer => ({
      id: nextId('fare'),
      debit: 'card:4',
      credit: 'shanghai-metro:revenue',
      amount,
      at: AT,
      kind: 'fare',
      ...extra,
    });
    const hold = fare(200, { pending: { timeoutSeconds: 3600 } });
    const results = await ledger.createTransfers([hold, fare(101), fare(100)]);
    expect(results.map((r) => r.result)).toEqual(['created', 'exceeds-balance', 'created']);
    const b = (await ledger.balances(['card:4'])).get('card:4')!;
    expect(b).toEqual({ debitsPosted: 100, creditsPosted: 300, debitsPending: 200, creditsPending: 0 });
  });

  it('posts a hold once (possibly less), voids it once, and expires what times out', async () => {
    await ledger.createTransfersOrThrow([topUp(5, 1200)]);
    const now = new Date('2026-12-01T00:00:00Z');
    const hold = (id: string, timeoutSeconds = 60): NewTransfer => ({
      id,
      debit: 'card:5',
      credit: 'suzhou-metro:revenue',
      amount: 400,
      at: AT,
      kind: 'fare',
      pending: { timeoutSeconds },
    });
    const [a, b, c] = [nextId('hold'), nextId('hold'), nextId('hold')];
    await ledger.createTransfersOrThrow([hold(a), hold(b), hold(c, 10)], now);
    const post = (pendingId: string, amount?: number): NewTransfer => ({
      id: nextId('post'),
      debit: 'card:5',
      credit: 'suzhou-metro:revenue',
      at: AT,
      kind: 'fare',
      postPending: { pendingId, ...(amount ? { amount } : {}) },
    });
    const later = new Date(now.getTime() + 30_000);
    const results = await ledger.createTransfers(
      [
        post(a, 250),
        post(a),
        { ...post(b), postPending: undefined, voidPending: { pendingId: b } },
        post(b),
        post(c),
        post('no-such-hold'),
        post(a, 500),
      ],
      later,
    );
    expect(results.map((r) => r.result)).toEqual([
      'created',
      'pending-resolved',
      'created',
      'pending-resolved',
      'pending-expired',
      'unknown-pending',
      'pending-resolved',
    ]);
    expect(await ledger.expirePending(later)).toEqual([c]);
    expect(await ledger.expirePending(later)).toEqual([]);
    expect((await ledger.balances(['card:5'])).get('card:5')).toEqual({
      debitsPosted: 250,
      creditsPosted: 1200,
      debitsPending: 0,
      creditsPending: 0,
    });
  });

  it('makes a linked chain all or nothing, and refuses a chain left open', async () => {
    await ledger.createTransfersOrThrow([topUp(6, 100)]);
    const leg = (amount: number, linked: boolean): NewTransfer => ({
      id: nextId('leg'),
      debit: 'card:6',
      credit: 'wuxi-metro:revenue',
      amount,
      at: AT,
      kind: 'fare',
      linked,
    });
    const failed = await ledger.createTransfers([
      leg(60, true),
      leg(60, false),
      leg(50, true),
      leg(50, false),
    ]);
    expect(failed.map((r) => r.result)).toEqual([
      'linked-event-failed',
      'exceeds-balance',
      'created',
      'created',
    ]);
    const open = await ledger.createTransfers([leg(1, false), leg(1, true)]);
    expect(open.map((r) => r.result)).toEqual(['exceeds-balance', 'linked-chain-open']);
    expect((await ledger.balances(['card:6'])).get('card:6')?.debitsPosted).toBe(100);
  });

  it('always balances, replays change nothing, chains hold together and limits hold (property)', async () => {
    const cards = [10, 11, 12, 13];
    const op = fc.record({
      kind: fc.constantFrom('top-up', 'fare', 'fare', 'hold', 'post', 'void'),
      card: fc.constantFrom(...cards),
      operator: fc.constantFrom(...OPERATORS),
      amount: fc.integer({ min: 1, max: 500 }),
      linked: fc.boolean(),
      pick: fc.nat(),
    });
    const holds: { id: string; card: number; operator: string }[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), async (ops) => {
        const batch: NewTransfer[] = ops.map((o, i) => {
          const base = {
            id: nextId('p'),
            debit: `card:${o.card}`,
            credit: `${o.operator}:revenue`,
            amount: o.amount,
            at: AT,
            kind: 'fare',
            linked: o.linked && i < ops.length - 1,
          };
          if (o.kind === 'top-up')
            return { ...base, debit: FLOAT.id, credit: `card:${o.card}`, kind: 'top-up' };
          if (o.kind === 'hold') {
            holds.push({ id: base.id, card: o.card, operator: o.operator });
            return { ...base, pending: { timeoutSeconds: 3600 } };
          }
          if ((o.kind === 'post' || o.kind === 'void') && holds.length > 0) {
            const h = holds[o.pick % holds.length];
            const ref = { debit: `card:${h.card}`, credit: `${h.operator}:revenue` };
            return o.kind === 'post'
              ? { ...base, ...ref, amount: undefined, postPending: { pendingId: h.id, amount: 1 } }
              : { ...base, ...ref, amount: undefined, voidPending: { pendingId: h.id } };
          }
          return base;
        });
        const results = await ledger.createTransfers(batch);
        expect(results.map((r) => r.id)).toEqual(batch.map((t) => t.id));
        // Chains: all made, or none.
        let start = 0;
        batch.forEach((t, i) => {
          if (t.linked) return;
          const chain = results.slice(start, i + 1).map((r) => r.result === 'created');
          expect(chain.every((x) => x) || chain.every((x) => !x)).toBe(true);
          start = i + 1;
        });
        const after = await allBalances();
        // Balances are the sums of the history, and debits equal credits.
        expect(after).toEqual(await recomputed());
        const sum = (f: keyof Balance) => [...after.values()].reduce((s, b) => s + b[f], 0);
        expect(sum('debitsPosted')).toBe(sum('creditsPosted'));
        expect(sum('debitsPending')).toBe(sum('creditsPending'));
        for (const n of cards) {
          const b = after.get(`card:${n}`);
          if (b) expect(b.debitsPosted + b.debitsPending).toBeLessThanOrEqual(b.creditsPosted);
        }
        // The same batch again: what was made exists, and when nothing failed nothing moves.
        const again = await ledger.createTransfers(batch);
        results.forEach((r, i) => {
          if (r.result === 'created') expect(again[i].result).toBe('exists');
        });
        if (!again.some((r) => r.result === 'created')) expect(await allBalances()).toEqual(after);
      }),
      { numRuns: 40 },
    );
  });

  it('takes part in the caller’s transaction: rolled back, nothing was posted', async () => {
    const t = topUp(7, 700);
    await expect(
      inTransaction(opened.store.db, async (tx) => {
        expect((await ledger.on(tx).createTransfers([t]))[0].result).toBe('created');
        throw new Error('the caller fails');
      }),
    ).rejects.toThrow('the caller fails');
    expect((await ledger.balances(['card:7'])).get('card:7')?.creditsPosted).toBe(0);
    expect((await ledger.createTransfers([t]))[0].result).toBe('created');
  });

  it('posts 3,000 transfers in one call (chunked statements)', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({
      id: nextId('bulk'),
      debit: FLOAT.id,
      credit: `card:${15 + (i % 5)}`,
      amount: 1 + (i % 7),
      at: AT,
      kind: 'top-up',
    }));
    const results = await ledger.createTransfers(many);
    expect(results.every((r) => r.result === 'created')).toBe(true);
    expect(await allBalances()).toEqual(await recomputed());
  });

  it('settles a period: positions sum to zero, payments settle them, statements tie back to the transfers', async () => {
    const day = ledger.periodOfDate('2026-12-02');
    expect(day).toEqual({ from: '2026-12-01T16:00:00.000Z', to: '2026-12-02T16:00:00.000Z' });
    // A day of its own: fares from cards to operators, and an operator paying another back.
    await ledger.createTransfersOrThrow([topUp(8, 10_000, '2026-12-02T07:00:00+08:00')]);
    const fares: NewTransfer[] = [
      ['shanghai-metro', 300],
      ['suzhou-metro', 400],
      ['wuxi-metro', 500],
      ['shanghai-metro', 700],
    ].map(([op, amount]) => ({
      id: nextId('fare'),
      debit: 'card:8',
      credit: `${op}:revenue`,
      amount: amount as number,
      at: '2026-12-02T09:00:00+08:00',
      kind: 'fare',
    }));
    fares.push({
      id: nextId('share'),
      debit: 'shanghai-metro:revenue',
      credit: 'wuxi-metro:revenue',
      amount: 50,
      at: '2026-12-02T23:59:59+08:00',
      kind: 'transfer-discount',
    });
    // Outside the day: not counted.
    fares.push({ ...fares[0], id: nextId('fare'), at: '2026-12-03T00:00:00+08:00' });
    await ledger.createTransfersOrThrow(fares, new Date('2026-12-03T01:00:00Z'));
    const when = new Date('2026-12-03T02:00:00Z');
    const run = await ledger.settle(LOCAL_ADMIN, { ...day, kinds: ['fare', 'transfer-discount'] }, when);
    expect(run.positions).toEqual([
      { party: 'shanghai-metro', net: 950 },
      { party: 'suzhou-metro', net: 400 },
      { party: 'tongcheng', net: -1900 },
      { party: 'wuxi-metro', net: 550 },
    ]);
    expect(run.payments.reduce((s, p) => s + p.amount, 0)).toBe(1900);
    expect(run.payments.length).toBeLessThanOrEqual(3);
    expect(run.previous).toBeNull();

    // Recompute each party's statement from the raw transfers.
    const db = opened.store.db.withTables<LedgerTables>();
    const raw = (await db.selectFrom('ledger_transfers').selectAll().execute()).filter(
      (t) =>
        ['single', 'post'].includes(t.type) &&
        t.at >= day.from &&
        t.at < day.to &&
        ['fare', 'transfer-discount'].includes(t.kind) &&
        t.posted_at <= when.toISOString(),
    );
    const partyOf = new Map((await ledger.accounts(LOCAL_ADMIN)).map((a) => [a.id, a.party]));
    for (const p of run.positions) {
      const s = await ledger.statement(LOCAL_ADMIN, run.id, p.party);
      const debits = raw.filter((t) => partyOf.get(t.debit_account) === p.party);
      const credits = raw.filter((t) => partyOf.get(t.credit_account) === p.party);
      expect(s.totals).toEqual({
        debitCount: debits.length,
        debits: debits.reduce((x, t) => x + t.amount, 0),
        creditCount: credits.length,
        credits: credits.reduce((x, t) => x + t.amount, 0),
        net: p.net,
      });
    }
    const wuxi = await ledger.statement(LOCAL_ADMIN, run.id, 'wuxi-metro');
    expect(wuxi.lines).toEqual([
      {
        counterparty: 'shanghai-metro',
        kind: 'transfer-discount',
        debitCount: 0,
        debits: 0,
        creditCount: 1,
        credits: 50,
        net: 50,
      },
      {
        counterparty: 'tongcheng',
        kind: 'fare',
        debitCount: 0,
        debits: 0,
        creditCount: 1,
        credits: 500,
        net: 500,
      },
    ]);
    expect(statementCsv(wuxi).split('\r\n')).toEqual([
      'counterparty,kind,debit_count,debits_fen,credit_count,credits_fen,net_fen',
      'shanghai-metro,transfer-discount,0,0,1,50,50',
      'tongcheng,fare,0,0,1,500,500',
      'total,,0,0,2,550,550',
      '',
    ]);
    expect(csvField('Wuxi, "Metro"')).toBe('"Wuxi, ""Metro"""');

    // By jurisdiction: the operators fold into theirs; the scheme stands for itself.
    const byJ = await ledger.settle(LOCAL_ADMIN, { ...day, groupBy: 'jurisdiction', kinds: ['fare'] }, when);
    expect(byJ.positions).toEqual([
      { party: 'jiangsu', net: 900 },
      { party: 'shanghai', net: 1000 },
      { party: 'tongcheng', net: -1900 },
    ]);

    // A late fare of that day, then the same settlement again: a new run that says what changed.
    await ledger.createTransfersOrThrow(
      [{ ...fares[1], id: nextId('late'), amount: 100 }],
      new Date('2026-12-03T03:00:00Z'),
    );
    const rerun = await ledger.settle(
      LOCAL_ADMIN,
      { ...day, kinds: ['transfer-discount', 'fare'] },
      new Date('2026-12-03T04:00:00Z'),
    );
    expect(rerun.previous).toBe(run.id);
    expect(rerun.changes).toEqual([
      { party: 'suzhou-metro', before: 400, after: 500 },
      { party: 'tongcheng', before: -1900, after: -2000 },
    ]);
    // The first run's statement is what it was.
    expect((await ledger.statement(LOCAL_ADMIN, run.id, 'suzhou-metro')).totals.credits).toBe(400);
    await expect(ledger.statement(LOCAL_ADMIN, 'run_none', 'suzhou-metro')).rejects.toMatchObject({
      code: 'unknown-settlement',
    });
    await expect(
      ledger.statement({ keyId: 'k', party: 'wuxi-metro', role: 'operator' }, run.id, 'suzhou-metro'),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(ledger.settle(LOCAL_ADMIN, { from: day.to, to: day.from })).rejects.toMatchObject({
      code: 'invalid-period',
    });
  });

  it.runIf(dialect === 'postgres')(
    'posts concurrent batches to one hot account without losing a fen, and records a batch sent twice at once once',
    async () => {
      const sources = Array.from({ length: 8 }, (_, i) => ({
        id: `hot-source:${i}`,
        party: 'tongcheng',
        purpose: 'stored-value',
        flags: { debitsMustNotExceedCredits: true },
      }));
      await ledger.ensureAccounts(sources);
      await ledger.createTransfersOrThrow(
        sources.map((s) => ({
          id: nextId('fund'),
          debit: FLOAT.id,
          credit: s.id,
          amount: 1_000_000,
          at: AT,
          kind: 'top-up',
        })),
      );
      const hot = 'shanghai-metro:revenue';
      const before = (await ledger.balances([hot])).get(hot)!.creditsPosted;
      const batches = sources.map((s) =>
        Array.from({ length: 200 }, (_, i) => ({
          id: nextId('hot'),
          debit: s.id,
          credit: hot,
          amount: 1 + (i % 9),
          at: AT,
          kind: 'fare',
        })),
      );
      const all = await Promise.all(
        batches.map((b) => inTransaction(opened.store.db, (tx) => ledger.on(tx).createTransfers(b))),
      );
      expect(all.flat().every((r) => r.result === 'created')).toBe(true);
      const total = batches.flat().reduce((s, t) => s + t.amount, 0);
      expect((await ledger.balances([hot])).get(hot)!.creditsPosted).toBe(before + total);

      // The same batch between unlimited accounts, sent three times at once.
      const same = Array.from({ length: 300 }, () => ({
        id: nextId('twice'),
        debit: FLOAT.id,
        credit: hot,
        amount: 3,
        at: AT,
        kind: 'fare',
      }));
      const tries = await Promise.allSettled(
        [0, 1, 2].map(() => inTransaction(opened.store.db, (tx) => ledger.on(tx).createTransfers(same))),
      );
      for (const t of tries)
        if (t.status === 'rejected') expect(t.reason).toMatchObject({ code: 'transfer-race' });
      await ledger.createTransfersOrThrow(same);
      expect((await ledger.balances([hot])).get(hot)!.creditsPosted).toBe(before + total + 900);
      expect(await allBalances()).toEqual(await recomputed());
    },
  );
});
