/**
 * Metropolitan Tong's throughput: simulated commuters' signed batches (one weekday) ingested,
 * priced and posted through `CardService.ingest` on SQLite and on PostgreSQL, at several rider
 * counts; the database's size after each; and the settlement of that day (the ledger run, and
 * the tie-back that re-rates every card's week from its taps). Cards and validators are set up
 * before the clock starts. Prints one JSON object; progress goes to stderr.
 *
 *   node --import tsx bench/card/run.ts [riders=10000,100000] [stores=sqlite,postgres]
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { cardModule } from '../../src/card/index.ts';
import { simNetwork } from '../../src/card/network.ts';
import { FARE_KINDS } from '../../src/card/service.ts';
import { simulate } from '../../src/card/simulate.ts';
import { faresModule } from '../../src/fares/index.ts';
import { ledgerModule } from '../../src/ledger/index.ts';
import { LOCAL_ADMIN } from '../../src/lib/access.ts';
import { readConfig } from '../../src/lib/config.ts';
import { openRuntime } from '../../src/modules.ts';
import { regionModule } from '../../src/region/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PG_URL = process.env.TONGCHENG_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const DATE = '2026-11-24';
const GROUP_TAPS = Number(process.env.GROUP_TAPS ?? 50_000);
const log = (text: string) => process.stderr.write(`${text}\n`);
const round = (x: number) => Math.round(x);

async function measure(store: 'sqlite' | 'postgres', riders: number) {
  const varDir = mkdtempSync(join(tmpdir(), 'tongcheng-bench-card-'));
  const env: Record<string, string> = { TONGCHENG_VAR: varDir, DATABASE_URL: '', LOG_LEVEL: 'silent' };
  if (store === 'postgres') {
    const schema = `bench_card_${Date.now().toString(36)}`;
    const client = new pg.Client(PG_URL);
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
    Object.assign(env, { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema });
  }
  const runtime = await openRuntime(readConfig({ ...process.env, ...env }, ROOT), 'write');
  try {
    const cards = await runtime.service(cardModule);
    const ledger = await runtime.service(ledgerModule);
    const region = await runtime.service(regionModule);
    const fares = (await runtime.service(faresModule)).regional();
    log(`${store}, ${riders} riders: simulating`);
    const sim = simulate(simNetwork(fares, region), {
      riders,
      days: 1,
      seed: 7,
      start: DATE,
      batchMinutes: 15,
    });
    log(`${store}: ${sim.taps} taps in ${sim.batches.length} batches; setting up ${sim.cards.length} cards`);
    for (const v of sim.validators) await cards.registerValidator(LOCAL_ADMIN, v);
    await cards.issueMany(LOCAL_ADMIN, sim.cards);

    // The first half batch by batch, as validators online send them; the second half grouped
    // into transactions of up to 50,000 taps (GROUP_TAPS), as `card ingest` replays a backlog.
    const now = new Date('2026-12-01T12:00:00Z');
    const half = Math.floor(sim.batches.length / 2);
    let single = 0;
    let started = performance.now();
    for (const [i, { batch }] of sim.batches.slice(0, half).entries()) {
      await cards.ingest(LOCAL_ADMIN, batch, now);
      single += batch.taps.length;
      if (i % 1000 === 0) log(`${store}: ${i}/${sim.batches.length} batches`);
    }
    const singleSeconds = (performance.now() - started) / 1000;
    let grouped = 0;
    started = performance.now();
    for (let i = half; i < sim.batches.length; ) {
      const group = [];
      let n = 0;
      while (i < sim.batches.length && n < GROUP_TAPS && group.length < 5000) {
        group.push(sim.batches[i].batch);
        n += sim.batches[i++].batch.taps.length;
      }
      await cards.ingestMany(LOCAL_ADMIN, group, now);
      grouped += n;
      log(`${store}: ${i}/${sim.batches.length} batches`);
    }
    const groupedSeconds = (performance.now() - started) / 1000;

    // The settlement is the ledger's run over the date's fares; the tie-back, which re-rates every
    // card's week from its taps to check the ledger against them, is an audit measured apart.
    const t0 = performance.now();
    const run = await ledger.settle(LOCAL_ADMIN, {
      ...cards.period(DATE),
      groupBy: 'party',
      kinds: FARE_KINDS,
    });
    const settleMs = performance.now() - t0;
    const t1 = performance.now();
    const tieBack = await cards.tieBack(DATE);
    const tieBackMs = performance.now() - t1;

    let bytes: number;
    if (store === 'sqlite') {
      const file = join(varDir, 'tongcheng.sqlite');
      bytes = statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    } else {
      const client = new pg.Client(PG_URL);
      await client.connect();
      const { rows } = await client.query(
        'select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = $2',
        [env.DATABASE_SCHEMA, 'r'],
      );
      bytes = Number(rows[0].bytes);
      await client.end();
    }
    return {
      store,
      riders,
      taps: sim.taps,
      batches: sim.batches.length,
      tapsPerBatch: round(sim.taps / sim.batches.length),
      batchByBatch: {
        taps: single,
        seconds: Math.round(singleSeconds * 10) / 10,
        tapsPerSecond: round(single / singleSeconds),
      },
      grouped: {
        taps: grouped,
        seconds: Math.round(groupedSeconds * 10) / 10,
        tapsPerSecond: round(grouped / groupedSeconds),
      },
      settlement: { ms: round(settleMs), transfers: run.transfers, payments: run.payments.length },
      tieBack: { ms: round(tieBackMs), agrees: tieBack.every((t) => t.agrees) },
      databaseMB: Math.round(bytes / 1e5) / 10,
    };
  } finally {
    await runtime.close();
  }
}

const riders = (process.argv[2] ?? '10000,100000').split(',').map(Number);
const stores = (process.argv[3] ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[];
const results = [];
for (const store of stores) for (const n of riders) results.push(await measure(store, n));
process.stdout.write(
  `${JSON.stringify({ benchmark: 'card ingest', goals: { sqliteTapsPerSecond: 20000, postgresTapsPerSecond: 5000, settlement100kMs: 5000 }, results }, null, 2)}\n`,
);
