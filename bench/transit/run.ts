/**
 * `npm run bench:transit`: the transit module's performance figures as one JSON object on stdout (progress
 * goes to stderr). Each sub-benchmark runs in its own fresh `node --expose-gc --import tsx` process, so JIT
 * state, heap and caches of one never flatter another, and each can be run alone the same way:
 *
 *   sma-one-to-one.ts  SMA today feed, 2026-12-01: 2,000 random (station, station, 06:00–21:00) queries,
 *                      seeded; per-query median/p90/p99 ms after a 200-query warm-up, for planJourneys (Pareto
 *                      set, ids in, Journey objects out), earliestArrival, and index-level paretoJourneys /
 *                      earliestJourney (target pruning).
 *   sma-one-to-all.ts  earliestArrivals (every stop) from random stops, 1,000 queries.
 *   sma-matrix.ts      city × city matrix, 07:00–09:00 every minute; src/transit/matrix.ts travelTimeMatrix
 *                      when present, else one rangeRaptor per origin city; whole matrix timed 5×, median.
 *   sma-memory.ts      RSS / heap / arrayBuffers after loading the SMA timetable from the binary cache.
 *   large.ts           generated city network (large-network.ts: ~20,500 stops, ~3.8 M stop_times, ~540
 *                      lines, seeded): build time, counts, one-to-one (300 queries) and one-to-all, memory,
 *                      serialized size and save/load time of the binary cache.
 *   caltrain.ts        Caltrain fixture: planJourneys between stations, 400 queries, 07:00 on 2016-04-12.
 *   grid.ts            a 141 × 141 grid (19,881 stops, 4.5 M stop_times): build time, one-to-one Pareto
 *                      queries, and how many pairs had no journey (it must be 0).
 *   cache-format.ts    the timetable cache's hand-written format against node:v8 serialize/deserialize, on
 *                      the SMA timetable and the large network: size, serialize and deserialize ms.
 *   server-start.ts    `node bin/tongcheng.js serve`: one warm-up start, then 3 timed starts until
 *                      /api/health and /api/transit/stats answer 200 (20 ms polling), median.
 *
 * Times are wall-clock from process.hrtime.bigint(); percentiles are nearest-rank over per-query samples.
 * The SMA timetable cache lives in $TMPDIR/tongcheng-bench-cache (built on the first run).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { log, machine, ROOT } from './common.ts';

function child(name: string): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const file = path.join(ROOT, 'bench/transit', `${name}.ts`);
    const p = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', file], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.on('error', reject);
    p.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${name} exited with ${code}`));
      try {
        resolve(JSON.parse(out));
      } catch (error) {
        reject(new Error(`${name}: output is not JSON: ${String(error)}\n${out.slice(0, 500)}`));
      }
    });
  });
}

async function main() {
  const t0 = Date.now();
  const part = async (name: string) => {
    log(`${name} …`);
    const t = Date.now();
    const result = await child(name);
    log(`${name} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    return result;
  };
  // One-to-one first: it builds the SMA cache the others then load.
  const oneToOne = await part('sma-one-to-one');
  const oneToAll = await part('sma-one-to-all');
  const matrix = await part('sma-matrix');
  const memory = await part('sma-memory');
  const large = await part('large');
  const caltrain = await part('caltrain');
  const grid = await part('grid');
  const cacheFormat = await part('cache-format');
  const serverStart = await part('server-start');

  const goals = {
    smaOneToOneMedianMs: 1,
    smaMatrixMs: 2000,
    largeOneToOneMedianMs: 25,
    serverStartMs: 1000,
  };
  const result = {
    machine: machine(),
    sma: { oneToOne, oneToAll, matrix, memory },
    large,
    caltrain,
    grid,
    cacheFormat,
    serverStart,
    goals: {
      ...goals,
      measured: {
        smaOneToOneMedianMs: oneToOne.planJourneysMs.median,
        smaMatrixMs: matrix.medianMs,
        largeOneToOneMedianMs: large.oneToOne.paretoRawMs.median,
        serverStartMs: serverStart.healthMs,
      },
      met: {
        smaOneToOneMedianMs: oneToOne.planJourneysMs.median <= goals.smaOneToOneMedianMs,
        smaMatrixMs: matrix.medianMs <= goals.smaMatrixMs,
        largeOneToOneMedianMs: large.oneToOne.paretoRawMs.median <= goals.largeOneToOneMedianMs,
        serverStartMs: serverStart.healthMs <= goals.serverStartMs,
      },
    },
    totalSeconds: Math.round((Date.now() - t0) / 100) / 10,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
