/**
 * What planners ask of a timetable besides journeys: departures and arrivals at a stop and the gaps
 * between them, the day's figures (lines, departures, busiest stations), each route's day, and a
 * representative day. Pure functions over the compact timetable; trip times are seconds on their service
 * date's clock, and a board's window is a span of real time, so a trip from any service day that reaches
 * the stop within it is on the board.
 */
import { formatDate, serviceTimeToUtc, utcToLocal, weekday } from '../lib/time.ts';
import { isServiceActive } from './calendar.ts';
import { latestDeparture } from './raptor.ts';
import type { Timetable } from './timetable.ts';

const NO_BOARDING = 1;
const NO_ALIGHTING = 2;
const DAY = 86_400;

export interface StopEvent {
  /** The trip's service date and the seconds on its clock. */
  serviceDay: number;
  time: number;
  /** The instant, ms since the epoch. */
  utc: number;
  trip: number;
  route: number;
  /** The stop (platform) served. */
  stop: number;
  /** For a departure the last stop of the trip's pattern, for an arrival its first. */
  end: number;
}

/**
 * Every departure from (or arrival at) the given stops with `from ≤ instant ≤ to` (ms since the epoch),
 * earliest first. A departure needs boarding allowed and a later stop; an arrival, alighting and an
 * earlier one.
 */
export function eventsAt(
  tt: Timetable,
  stops: readonly number[],
  window: { from: number; to: number },
  kind: 'departure' | 'arrival',
): StopEvent[] {
  const out: StopEvent[] = [];
  // Service dates whose trips can be at a stop within the window: back as far as the longest trip reaches.
  const firstDay = utcToLocal(tt.timezone, window.from).day - Math.ceil(latestDeparture(tt) / DAY) - 1;
  const lastDay = utcToLocal(tt.timezone, window.to).day + 1;
  const times = kind === 'departure' ? tt.departures : tt.arrivals;
  for (const stop of stops) {
    for (let k = tt.stopPatternStart[stop]; k < tt.stopPatternStart[stop + 1]; k++) {
      const p = tt.stopPatterns[k];
      const pos = tt.stopPatternPos[k];
      const first = tt.patternStopStart[p];
      const length = tt.patternStopStart[p + 1] - first;
      if (kind === 'departure' && (pos === length - 1 || tt.patternStopFlags[first + pos] & NO_BOARDING))
        continue;
      if (kind === 'arrival' && (pos === 0 || tt.patternStopFlags[first + pos] & NO_ALIGHTING)) continue;
      const end = tt.patternStops[kind === 'departure' ? first + length - 1 : first];
      for (let j = tt.patternTripStart[p]; j < tt.patternTripStart[p + 1]; j++) {
        const time = times[tt.tripTimeStart[j] + pos];
        for (let day = firstDay; day <= lastDay; day++) {
          if (!isServiceActive(tt.service, tt.tripService[j], day)) continue;
          const utc = serviceTimeToUtc(tt.timezone, day, time);
          if (utc < window.from || utc > window.to) continue;
          out.push({ serviceDay: day, time, utc, trip: j, route: tt.patternRoute[p], stop, end });
        }
      }
    }
  }
  return out.sort((a, b) => a.utc - b.utc || a.trip - b.trip);
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

export interface RouteDayStats {
  route: number;
  trips: number;
  /** Calls at stops of those trips. */
  stopEvents: number;
  /** The earliest and latest trip start: trip, first stop, seconds on the service date's clock. */
  first: { trip: number; stop: number; time: number } | null;
  last: { trip: number; stop: number; time: number } | null;
}

/** Each route's service date: its trips, their calls, and its first and last departure; every route, in feed order. */
export function routeDayStats(tt: Timetable, day: number): RouteDayStats[] {
  const out: RouteDayStats[] = tt.routeIds.map((_, route) => ({
    route,
    trips: 0,
    stopEvents: 0,
    first: null,
    last: null,
  }));
  for (let p = 0; p < tt.patternCount; p++) {
    const r = out[tt.patternRoute[p]];
    const stop = tt.patternStops[tt.patternStopStart[p]];
    const length = tt.patternStopStart[p + 1] - tt.patternStopStart[p];
    for (let j = tt.patternTripStart[p]; j < tt.patternTripStart[p + 1]; j++) {
      if (!isServiceActive(tt.service, tt.tripService[j], day)) continue;
      r.trips++;
      r.stopEvents += length;
      const time = tt.departures[tt.tripTimeStart[j]];
      if (r.first === null || time < r.first.time) r.first = { trip: j, stop, time };
      if (r.last === null || time > r.last.time) r.last = { trip: j, stop, time };
    }
  }
  return out;
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
