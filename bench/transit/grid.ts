/**
 * A 141 × 141 grid (19,881 stops) with a line along every other row and column, both directions, every 10
 * minutes 05:00–24:00: about 4.5 million stop_times, with a 1.2 km walk radius. One-to-one Pareto queries
 * between 40 seeded stop pairs leaving 08:00, timed per query, and a correctness count: every pair of
 * distinct stops must have a journey (the grid is connected all day). Formerly a test with a timed
 * assertion; building the network takes seconds, so it lives here.
 */
import { paretoJourneys } from '../../src/transit/raptor.ts';
import { makeFeed, type TestTrip } from '../../src/transit/testkit.ts';
import { buildTimetable } from '../../src/transit/timetable.ts';
import { log, round, runIfMain, stats, timeEach, timeMs } from './common.ts';

export async function grid() {
  const n = 141;
  const stops: { lat: number; lon: number }[] = [];
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) stops.push({ lat: 30 + y * 0.01, lon: 120 + x * 0.01 });
  const trips: TestTrip[] = [];
  let route = 0;
  const line = (seq: number[]) => {
    for (const dir of [seq, [...seq].reverse()]) {
      for (let t = 5 * 3600; t < 24 * 3600; t += 600) {
        trips.push({ route, times: dir.map((s, i) => [s, t + i * 90, t + i * 90 + 30]) });
      }
      route++;
    }
  };
  for (let y = 0; y < n; y += 2) line(Array.from({ length: n }, (_, x) => y * n + x));
  for (let x = 0; x < n; x += 2) line(Array.from({ length: n }, (_, y) => y * n + x));
  log('grid: building the timetable');
  const [buildMs, tt] = timeMs(() =>
    buildTimetable(makeFeed({ stops, trips, routes: route }), { walkRadius: 1200 }),
  );
  const queries = Array.from({ length: 40 }, (_, i) => ({
    origin: (i * 7919) % stops.length,
    target: (i * 104_729 + 5000) % stops.length,
  }));
  let missing = 0;
  const times = timeEach(
    queries,
    (q) => {
      const journeys = paretoJourneys(tt, {
        origins: [{ stop: q.origin, access: 0 }],
        day: 20_003,
        departure: 8 * 3600,
        target: q.target,
      });
      if (q.origin !== q.target && journeys.length === 0) missing++;
    },
    10,
  );
  return {
    stops: tt.stopCount,
    stopTimes: tt.arrivals.length,
    buildMs: round(buildMs, 1),
    pairsWithoutJourney: missing,
    paretoRawMs: stats(times, 2),
  };
}

runIfMain(import.meta.url, grid);
