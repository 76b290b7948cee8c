/**
 * `npm run bench:ledger`: what `createTransfers` costs, as JSON on stdout (progress on stderr).
 *
 * On each store (SQLite in a temporary file; PostgreSQL at TONGCHENG_TEST_PG, by default the
 * local test server, in a schema of its own; TONGCHENG_TEST_PG=off skips it): 10,000 card
 * accounts with a limit (stored value) and 9 operator revenue accounts without; every card
 * topped up. Then batches of 1,000 fares, each from a random card to a random operator's revenue
 * (so the revenue accounts are hot), each batch in its own transaction as the card module's
 * ingest calls it: median and p90 ms per batch, transfers per second. Then the same batches sent
 * again (all `exists`). On PostgreSQL, 4 connections post batches at once to the same accounts.
 */

import type { NewTransfer } from '../../src/ledger/model.ts';
import { LedgerService } from '../../src/ledger/service.ts';
import { LedgerStore, migrations } from '../../src/ledger/store.ts';
import { LOCAL_ADMIN } from '../../src/lib/access.ts';
import { seededRandom } from '../../src/lib/random.ts';
import { partiesModule } from '../../src/parties/index.ts';
import { PartiesService } from '../../src/parties/service.ts';
import { PartiesStore } from '../../src/parties/store.ts';
import { inTransaction, mergeMigrations, migrate } from '../../src/store/index.ts';
import { testStores } from '../../src/store/testing.ts';
import { percentile } from '../transit/common.ts';

const CARDS = 10_000;
const OPERATORS = 9;
const BATCH = 1_000;
const BATCHES = 30;

const log = (text: string) => process.stderr.write(`${text}\n`);

async function run(test: (typeof testStores)[number]) {
  const opened = await test.open();
  try {
    await migrate(
      opened.store,
      mergeMigrations([
        { module: 'parties', migrations: partiesModule.migrations! },
        { module: 'ledger', migrations },
      ]),
    );
    const operators = Array.from({ length: OPERATORS }, (_, i) => `operator-${i}`);
    await new PartiesService(new PartiesStore(opened.store.db)).seed([
      { id: 'tongcheng', kind: 'scheme', name: { en: 'Tongcheng' }, jurisdiction: null },
      ...operators.map((id) => ({ id, kind: 'operator' as const, name: { en: id }, jurisdiction: 'x' })),
    ]);
    const ledger = new LedgerService(new LedgerStore(opened.store.db, test.dialect), 'Asia/Shanghai');
    await ledger.ensureAccounts([
      { id: 'tongcheng:float', party: 'tongcheng', purpose: 'float' },
      ...operators.map((p) => ({ id: `${p}:revenue`, party: p, purpose: 'revenue' })),
      ...Array.from({ length: CARDS }, (_, i) => ({
        id: `card:${i}`,
        party: 'tongcheng',
        purpose: 'stored-value',
        flags: { debitsMustNotExceedCredits: true },
      })),
    ]);
    for (let i = 0; i < CARDS; i += BATCH) {
      await ledger.createTransfersOrThrow(
        Array.from({ length: BATCH }, (_, k) => ({
          id: `top-up:${i + k}`,
          debit: 'tongcheng:float',
          credit: `card:${i + k}`,
          amount: 1_000_000,
          at: '2026-12-01T06:00:00+08:00',
          kind: 'top-up',
        })),
      );
    }
    const random = seededRandom(1);
    let n = 0;
    const batch = (): NewTransfer[] =>
      Array.from({ length: BATCH }, () => ({
        id: `fare:${n++}`,
        debit: `card:${Math.floor(random() * CARDS)}`,
        credit: `operator-${Math.floor(random() * OPERATORS)}:revenue`,
        amount: 300 + Math.floor(random() * 700),
        at: '2026-12-01T08:00:00+08:00',
        kind: 'fare',
        reference: `tap:${n}`,
      }));
    const post = (b: NewTransfer[]) =>
      inTransaction(opened.store.db, (tx) => ledger.on(tx).createTransfers(b));
    const timed = async (batches: NewTransfer[][], expect: string) => {
      const ms: number[] = [];
      for (const b of batches) {
        const start = process.hrtime.bigint();
        const results = await post(b);
        ms.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (results.some((r) => r.result !== expect)) throw new Error(`a transfer was not ${expect}`);
      }
      ms.sort((a, b) => a - b);
      const total = ms.reduce((a, b) => a + b, 0);
      return {
        batchMsMedian: +percentile(ms, 50).toFixed(2),
        batchMsP90: +percentile(ms, 90).toFixed(2),
        transfersPerSecond: Math.round((batches.length * BATCH) / (total / 1000)),
      };
    };
    // Warm-up: the JIT and the statement caches.
    for (let i = 0; i < 3; i++) await post(batch());
    const batches = Array.from({ length: BATCHES }, batch);
    log(`${test.dialect}: posting ${BATCHES} batches of ${BATCH}`);
    const created = await timed(batches, 'created');
    const replayed = await timed(batches, 'exists');
    let concurrent: Record<string, number> | undefined;
    if (test.dialect === 'postgres') {
      const parallel = Array.from({ length: 4 }, () => Array.from({ length: BATCHES / 2 }, batch));
      const start = process.hrtime.bigint();
      await Promise.all(
        parallel.map(async (bs) => {
          for (const b of bs) await post(b);
        }),
      );
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      concurrent = { connections: 4, transfersPerSecond: Math.round((4 * (BATCHES / 2) * BATCH) / seconds) };
    }
    // Every fare is where it should be: the revenue accounts hold what the cards lost.
    const ids = operators.map((p) => `${p}:revenue`);
    const revenue = [...(await ledger.balances(ids)).values()].reduce((s, b) => s + b.creditsPosted, 0);
    const cards = (await ledger.accounts(LOCAL_ADMIN, 'tongcheng')).filter(
      (a) => a.purpose === 'stored-value',
    );
    const spent = cards.reduce((s, a) => s + a.balance.debitsPosted, 0);
    if (revenue !== spent) throw new Error(`revenue ${revenue} ≠ fares ${spent}`);
    return {
      batch: BATCH,
      batches: BATCHES,
      cards: CARDS,
      created,
      replayed,
      ...(concurrent ? { concurrent } : {}),
    };
  } finally {
    await opened.drop();
  }
}

const out: Record<string, unknown> = { node: process.version };
for (const test of testStores) out[test.dialect] = await run(test);
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
