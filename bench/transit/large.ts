/**
 * Large generated network (see large-network.ts): ≥ 20,000 stops, several million stop_times, a few hundred
 * overlapping lines. Reports generation and `buildTimetable` time, sizes, memory after the build (feed
 * dropped, GC first when --expose-gc), one-to-one (index-level `paretoJourneys` with target pruning, and the
 * planner's `planJourneys` on the same queries), one-to-all (`earliestArrivals`), and the binary cache:
 * serialized size, `saveTimetable` time and `loadTimetable` time (median of 3) from a temp file.
 */

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seededRandom } from '../../src/lib/random.ts';
import { formatDate } from '../../src/lib/time.ts';
import { planJourneys } from '../../src/transit/planner.ts';
import { earliestArrivals, paretoJourneys, UNREACHED } from '../../src/transit/raptor.ts';
import { buildTimetable, loadTimetable, saveTimetable, type Timetable } from '../../src/transit/timetable.ts';
import { log, memory, randInt, round, runIfMain, stats, timeEach, timeMs } from './common.ts';
import { generateLargeFeed, LARGE_QUERY_DAY } from './large-network.ts';

const pad = (x: number) => String(x).padStart(2, '0');
const hms = (s: number) => `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;

export async function large(
  opts: { oneToOne?: number; planner?: number; oneToAll?: number; seed?: number } = {},
) {
  const oneToOneCount = opts.oneToOne ?? 300;
  const plannerCount = opts.planner ?? 100;
  const oneToAllCount = opts.oneToAll ?? 40;
  const seed = opts.seed ?? 42;
  const before = memory();
  log('large: generating feed');
  const [generateMs, gen] = timeMs(() => generateLargeFeed({ seed }));
  log(
    `large: ${gen.feed.stops.length} stops, ${gen.feed.stopTimes.stop.length} stop_times, ${gen.lines} lines; building timetable`,
  );
  const t0 = process.hrtime.bigint();
  let tt: Timetable = buildTimetable(gen.feed);
  const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const counts = {
    stops: tt.stopCount,
    lines: gen.lines,
    metroLines: gen.metroLines,
    trips: tt.tripIds.length,
    stopTimes: tt.arrivals.length,
    patterns: tt.patternCount,
    footpaths: tt.transferTo.length,
  };
  (gen as { feed?: unknown }).feed = undefined;
  const afterBuild = memory();

  const r = seededRandom(seed + 1);
  const queries = Array.from({ length: oneToOneCount }, () => {
    const a = randInt(r, 0, tt.stopCount - 1);
    let b = a;
    while (b === a) b = randInt(r, 0, tt.stopCount - 1);
    return { a, b, departure: randInt(r, 6 * 3600, 21 * 3600) };
  });
  log(`large: ${oneToOneCount} one-to-one queries`);
  let reached = 0;
  let journeys = 0;
  const pareto = timeEach(
    queries,
    (q) => {
      const js = paretoJourneys(tt, {
        origins: [{ stop: q.a, access: 0 }],
        day: LARGE_QUERY_DAY,
        departure: q.departure,
        target: q.b,
      });
      journeys += js.length;
      if (js.length > 0) reached++;
    },
    30,
  );
  const date = formatDate(LARGE_QUERY_DAY);
  log(`large: ${plannerCount} planJourneys queries`);
  const planner = timeEach(
    queries.slice(0, plannerCount),
    (q) => planJourneys(tt, { from: tt.stopIds[q.a], to: tt.stopIds[q.b], date, time: hms(q.departure) }),
    10,
  );
  log(`large: ${oneToAllCount} one-to-all queries`);
  let reachedAll = 0;
  const oneToAll = timeEach(
    queries.slice(0, oneToAllCount),
    (q) => {
      const out = earliestArrivals(tt, {
        origins: [{ stop: q.a, access: 0 }],
        day: LARGE_QUERY_DAY,
        departure: q.departure,
      });
      for (let s = 0; s < out.length; s++) if (out[s] < UNREACHED) reachedAll++;
    },
    5,
  );

  log('large: save/load cache');
  const dir = mkdtempSync(path.join(tmpdir(), 'tongcheng-bench-large-'));
  const file = path.join(dir, 'large.bin');
  let cache: Record<string, number>;
  try {
    const [saveMs] = timeMs(() => saveTimetable(tt, file));
    const bytes = statSync(file).size;
    tt = undefined as unknown as Timetable; // let the built copy go before loading
    const loads: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [ms, loaded] = timeMs(() => loadTimetable(file));
      loads.push(ms);
      tt = loaded;
    }
    cache = {
      serializedMb: round(bytes / 2 ** 20, 1),
      saveMs: round(saveMs, 1),
      loadMs: stats(loads, 1).median,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const afterLoad = memory();
  return {
    seed,
    generateMs: round(generateMs, 1),
    buildMs: round(buildMs, 1),
    ...counts,
    oneToOne: {
      queries: oneToOneCount,
      reachedShare: round(reached / (oneToOneCount + 30), 3),
      journeysPerQuery: round(journeys / (oneToOneCount + 30), 2),
      paretoRawMs: stats(pareto, 2),
      planJourneysMs: stats(planner, 2),
    },
    oneToAll: {
      queries: oneToAllCount,
      reachedStopsPerQuery: round(reachedAll / (oneToAllCount + 5), 0),
      ms: stats(oneToAll, 2),
    },
    cache,
    memory: { beforeGenerate: before, afterBuild, afterCacheLoad: afterLoad },
  };
}

runIfMain(import.meta.url, () => large());
