import { expect, it } from 'vitest';
import { paretoJourneys } from './raptor.ts';
import { makeFeed, type TestTrip } from './testkit.ts';
import { buildTimetable } from './timetable.ts';

// A 141 × 141 grid (19,881 stops) with a line along every other row and column, both directions, every
// 10 minutes 05:00–24:00: about 4.5 million stop_times, the size class the planner must stay fast on.
it('one-to-one queries on a 20,000-stop, multi-million stop_time network stay under 25 ms median', () => {
  const n = 141;
  const stops = [];
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
  const tt = buildTimetable(makeFeed({ stops, trips, routes: route }), { walkRadius: 1200 });
  expect(tt.stopCount).toBeGreaterThanOrEqual(20_000 - 200);
  expect(tt.arrivals.length).toBeGreaterThan(2_000_000);
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const origin = (i * 7919) % stops.length;
    const target = (i * 104_729 + 5000) % stops.length;
    const t0 = performance.now();
    const journeys = paretoJourneys(tt, {
      origins: [{ stop: origin, access: 0 }],
      day: 20_003,
      departure: 8 * 3600,
      target,
    });
    times.push(performance.now() - t0);
    if (origin !== target) expect(journeys.length).toBeGreaterThan(0);
  }
  times.sort((a, b) => a - b);
  expect(times[times.length >> 1]).toBeLessThan(25);
}, 60_000);
