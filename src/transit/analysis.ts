/**
 * What planners ask of a timetable besides journeys: departures at a stop and the gaps between
 * them, the day's figures (lines, departures, busiest stations), and a representative day.
 * Pure functions over the compact timetable; times are seconds on the service date's clock.
 */
import { formatDate, SECONDS_PER_DAY, weekday } from '../lib/time.ts';
import { isServiceActive } from './calendar.ts';
import type { Timetable } from './timetable.ts';

const NO_BOARDING = 1;

export interface Departure {
  /** Seconds on the queried date's clock (a trip of the previous service day shows as less than 24 h). */
  time: number;
  trip: number;
  route: number;
  /** The last stop of the trip's pattern. */
  destination: number;
}

/** Every departure from the given stops with `from ≤ time ≤ to` on `day`, earliest first. */
export function departuresAt(
  tt: Timetable,
  stops: readonly number[],
  day: number,
  from: number,
  to: number,
): Departure[] {
  const out: Departure[] = [];
  for (const stop of stops) {
    for (let k = tt.stopPatternStart[stop]; k < tt.stopPatternStart[stop + 1]; k++) {
      const p = tt.stopPatterns[k];
      const pos = tt.stopPatternPos[k];
      const first = tt.patternStopStart[p];
      const length = tt.patternStopStart[p + 1] - first;
      if (pos === length - 1 || tt.patternStopFlags[first + pos] & NO_BOARDING) continue;
      const destination = tt.patternStops[first + length - 1];
      for (let j = tt.patternTripStart[p]; j < tt.patternTripStart[p + 1]; j++) {
        const time = tt.departures[tt.tripTimeStart[j] + pos];
        // A trip of yesterday's service running past midnight departs today at time - 24 h.
        for (const [serviceDay, shift] of [
          [day, 0],
          [day - 1, SECONDS_PER_DAY],
        ] as const) {
          const t = time - shift;
          if (t < from || t > to) continue;
          if (!isServiceActive(tt.service, tt.tripService[j], serviceDay)) continue;
          out.push({ time: t, trip: j, route: tt.patternRoute[p], destination });
        }
      }
    }
  }
  return out.sort((a, b) => a.time - b.time || a.trip - b.trip);
}

export interface Headways {
  departures: number;
  minMinutes: number;
  medianMinutes: number;
  meanMinutes: number;
  /** The longest wait: the widest gap, and with `edges`, also from the window's start and to its end. */
  maxMinutes: number;
}

/**
 * Gaps between consecutive departures; null when there are none. With `edges` (a window someone
 * chose, such as the morning peak) the wait from its start to the first departure and from the
 * last to its end count too; over a whole day they would only measure the night.
 */
export function headways(times: readonly number[], window?: { from: number; to: number }): Headways | null {
  if (times.length === 0) return null;
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push(times[i] - times[i - 1]);
  const edges = window ? [times[0] - window.from, window.to - times[times.length - 1]] : [];
  const sorted = [...gaps].sort((a, b) => a - b);
  const minutes = (s: number) => Math.round((s / 60) * 10) / 10;
  return {
    departures: times.length,
    minMinutes: minutes(sorted[0] ?? 0),
    medianMinutes: minutes(sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : 0),
    meanMinutes: minutes(sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0),
    maxMinutes: minutes(Math.max(0, ...gaps, ...edges)),
  };
}

/**
 * A representative day: a Tuesday, Wednesday or Thursday with the most trips in the feed's
 * range (so a feed that gains a line mid-year is judged with it), among equals the one nearest
 * `near` (usually today).
 */
export function typicalDay(tt: Timetable, near: number): number {
  const tripsPerService = new Map<number, number>();
  for (const s of tt.tripService) tripsPerService.set(s, (tripsPerService.get(s) ?? 0) + 1);
  const { firstDay, dayCount } = tt.service;
  let best = firstDay;
  let bestCount = -1;
  for (let day = firstDay; day < firstDay + dayCount; day++) {
    const wd = weekday(day);
    if (wd < 1 || wd > 3) continue;
    let count = 0;
    for (const [service, trips] of tripsPerService)
      if (isServiceActive(tt.service, service, day)) count += trips;
    if (count > bestCount || (count === bestCount && Math.abs(day - near) < Math.abs(best - near))) {
      best = day;
      bestCount = count;
    }
  }
  return best;
}

export interface DayStats {
  date: string;
  /** Routes with at least one trip that day. */
  lines: number;
  /** Trips that run that day (each leaves its first stop once). */
  dailyDepartures: number;
  /** Stops with at least one departure. */
  stations: number;
  /** Departures per stop (passing trains included), busiest first. */
  busiest: { stop: number; departures: number }[];
}

export function dayStats(tt: Timetable, day: number): DayStats {
  const routes = new Set<number>();
  const perStop = new Int32Array(tt.stopCount);
  let trips = 0;
  for (let p = 0; p < tt.patternCount; p++) {
    const first = tt.patternStopStart[p];
    const length = tt.patternStopStart[p + 1] - first;
    for (let j = tt.patternTripStart[p]; j < tt.patternTripStart[p + 1]; j++) {
      if (!isServiceActive(tt.service, tt.tripService[j], day)) continue;
      trips++;
      routes.add(tt.patternRoute[p]);
      for (let i = 0; i < length - 1; i++) {
        if (!(tt.patternStopFlags[first + i] & NO_BOARDING)) perStop[tt.patternStops[first + i]]++;
      }
    }
  }
  const busiest = [...perStop.entries()]
    .filter(([, n]) => n > 0)
    .map(([stop, departures]) => ({ stop, departures }))
    .sort((a, b) => b.departures - a.departures || a.stop - b.stop);
  return {
    date: formatDate(day),
    lines: routes.size,
    dailyDepartures: trips,
    stations: busiest.length,
    busiest,
  };
}
