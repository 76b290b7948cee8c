/**
 * Caltrain (test/fixtures/gtfs-caltrain, 2016-04-06): `planJourneys` between stations, 400 queries cycling
 * through the station pairs the former test used (leaving 07:00 on Tuesday 2016-04-12), timed per query
 * after a warm-up. This is where the test "one-to-one queries are fast" went: speed is measured here, not
 * asserted in a test.
 */
import path from 'node:path';
import { readGtfs } from '../../src/transit/gtfs.ts';
import { planJourneys } from '../../src/transit/planner.ts';
import { buildTimetable } from '../../src/transit/timetable.ts';
import { log, ROOT, runIfMain, stats, timeEach } from './common.ts';

export async function caltrain(count = 400) {
  const tt = buildTimetable(
    await readGtfs(path.join(ROOT, 'test/fixtures/gtfs-caltrain/caltrain_20160406.zip')),
  );
  const stations = tt.stopIds.filter((_, s) => tt.stopLocationType[s] === 1);
  const queries: { from: string; to: string }[] = [];
  for (let i = 0; i < count; i++) {
    const from = stations[i % stations.length];
    const to = stations[(i * 7 + 3) % stations.length];
    if (from !== to) queries.push({ from, to });
  }
  log(`caltrain: ${queries.length} planJourneys queries`);
  let found = 0;
  const times = timeEach(queries, (q) => {
    found += planJourneys(tt, { ...q, date: '2016-04-12', time: '07:00' }).length > 0 ? 1 : 0;
  });
  return {
    queries: queries.length,
    reachedShare: Number((found / (queries.length + 200)).toFixed(3)),
    planJourneysMs: stats(times),
  };
}

runIfMain(import.meta.url, () => caltrain());
