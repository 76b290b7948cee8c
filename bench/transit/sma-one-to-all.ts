/**
 * SMA one-to-all: earliest arrival at every stop from one origin station (index-level `earliestArrivals`, no
 * target, up to 8 trips), random origins and departures 06:00–21:00 on 2026-12-01, fixed seed.
 */
import { seededRandom } from '../../src/lib/random.ts';
import { parseDate } from '../../src/lib/time.ts';
import { earliestArrivals, UNREACHED } from '../../src/transit/raptor.ts';
import { log, randInt, runIfMain, SMA_DATE, smaTimetable, stats, timeEach } from './common.ts';

export async function smaOneToAll(count = 1000, seed = 7) {
  const { tt } = await smaTimetable();
  const day = parseDate(SMA_DATE);
  const r = seededRandom(seed);
  const queries = Array.from({ length: count }, () => ({
    origins: [{ stop: randInt(r, 0, tt.stopCount - 1), access: 0 }],
    day,
    departure: randInt(r, 6 * 3600, 21 * 3600),
  }));
  log(`sma one-to-all: ${count} queries`);
  let reached = 0;
  const ms = timeEach(queries, (q) => {
    const out = earliestArrivals(tt, q);
    for (let s = 0; s < out.length; s++) if (out[s] < UNREACHED) reached++;
  });
  const warm = Math.min(200, count);
  return {
    queries: count,
    seed,
    stops: tt.stopCount,
    reachedStopsPerQuery: Number((reached / (count + warm)).toFixed(1)),
    ms: stats(ms),
  };
}

runIfMain(import.meta.url, () => smaOneToAll());
