/**
 * SMA one-to-one: random (origin station, destination station, departure 06:00–21:00) on the today feed for
 * 2026-12-01, fixed seed. Four views of the same queries, each timed per query after a warm-up:
 *   planJourneys    – planner level: ids and "HH:MM:SS" in, Pareto set of Journey objects (instants, legs) out
 *   earliestArrival – planner level, earliest journey only (same search, one journey formatted)
 *   paretoRaw       – index level paretoJourneys (stop indices, seconds), target pruning on
 *   earliestRaw     – index level earliestJourney, target pruning on
 */
import { seededRandom } from '../../src/lib/random.ts';
import { parseDate } from '../../src/lib/time.ts';
import { earliestArrival, planJourneys } from '../../src/transit/planner.ts';
import { earliestJourney, paretoJourneys } from '../../src/transit/raptor.ts';
import { log, randInt, runIfMain, SMA_DATE, smaTimetable, stats, timeEach } from './common.ts';

const pad = (x: number) => String(x).padStart(2, '0');
const hms = (s: number) => `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;

export async function smaOneToOne(count = 2000, seed = 20261201) {
  const { tt } = await smaTimetable();
  const day = parseDate(SMA_DATE);
  const stations: number[] = [];
  for (let s = 0; s < tt.stopCount; s++) if (tt.stopLocationType[s] === 0) stations.push(s);
  const r = seededRandom(seed);
  const queries = Array.from({ length: count }, () => {
    const a = stations[randInt(r, 0, stations.length - 1)];
    let b = a;
    while (b === a) b = stations[randInt(r, 0, stations.length - 1)];
    const departure = randInt(r, 6 * 3600, 21 * 3600);
    return { a, b, departure, from: tt.stopIds[a], to: tt.stopIds[b], time: hms(departure) };
  });
  log(`sma one-to-one: ${count} queries over ${stations.length} stations`);

  let journeys = 0;
  let reached = 0;
  const plan = timeEach(queries, (q) => {
    const js = planJourneys(tt, { from: q.from, to: q.to, date: SMA_DATE, time: q.time });
    journeys += js.length;
    if (js.length > 0) reached++;
  });
  const warm = Math.min(200, count);
  const pareto = stats(plan);
  const early = stats(
    timeEach(queries, (q) => earliestArrival(tt, { from: q.from, to: q.to, date: SMA_DATE, time: q.time })),
  );
  const raw = (q: (typeof queries)[number]) => ({
    origins: [{ stop: q.a, access: 0 }],
    day,
    departure: q.departure,
    target: q.b,
  });
  const paretoRaw = stats(timeEach(queries, (q) => paretoJourneys(tt, raw(q))));
  const earliestRaw = stats(timeEach(queries, (q) => earliestJourney(tt, raw(q))));
  return {
    queries: count,
    seed,
    date: SMA_DATE,
    stations: stations.length,
    reachedShare: Number((reached / (count + warm)).toFixed(3)),
    journeysPerQuery: Number((journeys / (count + warm)).toFixed(2)),
    planJourneysMs: pareto,
    earliestArrivalMs: early,
    paretoRawMs: paretoRaw,
    earliestRawMs: earliestRaw,
  };
}

runIfMain(import.meta.url, () => smaOneToOne());
