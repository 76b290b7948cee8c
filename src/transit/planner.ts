/**
 * The planner's face towards people and services: stops by id or name, dates and times as text, journeys
 * as legs with absolute instants. It validates the question (unknown stop, malformed time, date outside the
 * feed) into Problems, then hands stop indices and seconds to raptor.ts and turns the answer back into ids.
 */
import { problem } from '../lib/errors.ts';
import { formatDate, formatTime, localReading, parseDate, parseTime, serviceTimeToUtc } from '../lib/time.ts';
import { assertCovered, coverageOf } from './calendar.ts';
import type { Instant, Journey, Leg, RouteRef, SearchHorizon, Stop } from './model.ts';
import {
  DEFAULT_HORIZON_DAYS,
  DEFAULT_MAX_ROUNDS,
  earliestArrivals,
  latestDeparture,
  type Origin,
  paretoJourneys as paretoRaw,
  type RaptorJourney,
  type RaptorLeg,
  rangeRaptor as rangeRaw,
  UNREACHED,
} from './raptor.ts';
import { resolveStop } from './stops.ts';
import type { Timetable } from './timetable.ts';

export type { Instant, Journey, Leg, RouteRef, SearchHorizon, Stop };

const DAY = 86_400;
/** The longest horizon a query may ask for. */
export const MAX_HORIZON_DAYS = 30;

export function routeRef(tt: Timetable, route: number): RouteRef {
  // The long name as written is in the feed's language; translations.txt gives the others.
  const written = tt.lang && tt.routeLongNames[route] ? { [tt.lang]: tt.routeLongNames[route] } : {};
  return {
    id: tt.routeIds[route],
    shortName: tt.routeShortNames[route],
    longName: tt.routeLongNames[route],
    names: { ...written, ...tt.routeLongNamesByLang[route] },
    type: tt.routeTypes[route],
    color: tt.routeColors[route] || null,
  };
}

/** A stop as the feed tells it, in no city: the service layer places stops in the region. */
export function stopOf(tt: Timetable, s: number): Stop {
  return {
    id: tt.stopIds[s],
    name: tt.stopNames[s],
    names: { ...tt.stopNamesByLang[s] },
    lat: tt.stopLat[s],
    lon: tt.stopLon[s],
    city: null,
  };
}

/** How a journey tells its stops, given a stop index. */
export type DescribeStop = (s: number) => Stop;

export interface JourneyQuery {
  /** Stop ids or names; several stops (e.g. all platforms of a station) are all origins. */
  from: string | string[] | Origin[];
  to: string;
  /** `YYYY-MM-DD`, the local service date. */
  date: string;
  /** `HH:MM[:SS]` on that date. */
  time: string;
  maxTransfers?: number;
  /** Days after the departure a journey may arrive; default DEFAULT_HORIZON_DAYS. */
  horizonDays?: number;
}

function resolveOrigins(tt: Timetable, from: JourneyQuery['from'], field = 'from'): Origin[] {
  if (Array.isArray(from) && from.length > 0 && typeof from[0] === 'object') {
    for (const o of from as Origin[]) {
      if (!Number.isInteger(o.stop) || o.stop < 0 || o.stop >= tt.stopCount) {
        throw problem('invalid-origin', `${field}: stop index ${o.stop} does not exist`, field);
      }
      if (!Number.isFinite(o.access) || o.access < 0) {
        throw problem('invalid-origin', `${field}: access time ${o.access} must be ≥ 0 seconds`, field);
      }
    }
    return from as Origin[];
  }
  const names = typeof from === 'string' ? [from] : (from as string[]);
  if (names.length === 0) throw problem('invalid-origin', `${field}: at least one stop is needed`, field);
  return names.flatMap((name) => resolveStop(tt, name, field).stops.map((stop) => ({ stop, access: 0 })));
}

function maxRoundsOf(maxTransfers: number | undefined): number {
  if (maxTransfers === undefined) return DEFAULT_MAX_ROUNDS;
  if (!Number.isInteger(maxTransfers) || maxTransfers < 0 || maxTransfers > 15) {
    throw problem(
      'invalid-max-transfers',
      `maxTransfers: ${maxTransfers} must be an integer 0 to 15`,
      'maxTransfers',
    );
  }
  return maxTransfers + 1;
}

export function horizonDaysOf(horizonDays: number | undefined): number {
  if (horizonDays === undefined) return DEFAULT_HORIZON_DAYS;
  if (!Number.isInteger(horizonDays) || horizonDays < 1 || horizonDays > MAX_HORIZON_DAYS) {
    throw problem(
      'invalid-number',
      `horizonDays: ${horizonDays} must be a whole number of days, 1 to ${MAX_HORIZON_DAYS}`,
      'horizonDays',
    );
  }
  return horizonDays;
}

function prepare(tt: Timetable, query: JourneyQuery) {
  const day = parseDate(query.date, 'date');
  const departure = parseTime(query.time, 'time');
  assertCovered(tt.service, day, 'date');
  const origins = resolveOrigins(tt, query.from);
  const targets = resolveStop(tt, query.to, 'to').stops;
  const horizonDays = horizonDaysOf(query.horizonDays);
  return {
    day,
    departure,
    origins,
    targets,
    horizonDays,
    latestArrival: departure + horizonDays * DAY,
    maxRounds: maxRoundsOf(query.maxTransfers),
  };
}

/** The zone a stop's clocks show; the feed's for a stop index of -1. */
export function zoneOf(tt: Timetable, stop: number): string {
  return stop >= 0 ? tt.zones[tt.stopZone[stop]] : tt.timezone;
}

/** Seconds on `day`'s service clock, as an instant at `stop` (its zone's date and time). */
export function instant(tt: Timetable, day: number, seconds: number, stop = -1): Instant {
  const utc = serviceTimeToUtc(tt.timezone, day, seconds);
  const zone = zoneOf(tt, stop);
  const local = localReading(zone, utc);
  return {
    date: formatDate(day),
    time: formatTime(seconds),
    seconds,
    utc: new Date(utc).toISOString(),
    zone,
    localDate: local.date,
    localTime: local.time,
    utcOffset: local.offset,
  };
}

/**
 * What a search looked at: the horizon, the latest arrival (on the target's clocks), and the service dates
 * whose trips could be boarded, within the feed's coverage.
 */
export function searchHorizon(
  tt: Timetable,
  q: { day: number; departure: number; horizonDays: number; latestArrival: number },
  target: number,
): SearchHorizon {
  const coverage = coverageOf(tt.service);
  const first = Math.max(coverage.firstDay, q.day + Math.floor((q.departure - latestDeparture(tt)) / DAY));
  const last = Math.min(coverage.lastDay, q.day + Math.floor(q.latestArrival / DAY));
  return {
    horizonDays: q.horizonDays,
    latestArrival: instant(tt, q.day, q.latestArrival, target),
    serviceDates: { first: formatDate(first), last: formatDate(Math.max(first, last)) },
  };
}

function toJourney(tt: Timetable, day: number, raw: RaptorJourney, stopRef: DescribeStop): Journey {
  const legs: Leg[] = raw.legs.map((leg: RaptorLeg): Leg => {
    if (leg.kind === 'walk') {
      return {
        kind: 'walk',
        from: stopRef(leg.from),
        to: stopRef(leg.to),
        departure: instant(tt, day, leg.departure, leg.from),
        arrival: instant(tt, day, leg.arrival, leg.to),
        duration: leg.arrival - leg.departure,
      };
    }
    // Ride times are shown on the trip's own service date, as a printed timetable would.
    const tripDay = day + leg.dayOffset;
    const shift = leg.dayOffset * 86_400;
    const p = tt.tripPattern[leg.trip];
    const route = tt.patternRoute[p];
    const stops: Stop[] = [];
    for (let i = leg.boardPos; i <= leg.alightPos; i++)
      stops.push(stopRef(tt.patternStops[tt.patternStopStart[p] + i]));
    return {
      kind: 'ride',
      route: routeRef(tt, route),
      trip: { id: tt.tripIds[leg.trip], headsign: tt.tripHeadsigns[leg.trip] },
      from: stopRef(leg.from),
      to: stopRef(leg.to),
      departure: instant(tt, tripDay, leg.departure - shift, leg.from),
      arrival: instant(tt, tripDay, leg.arrival - shift, leg.to),
      stops,
    };
  });
  const first = raw.legs[0]?.from ?? -1;
  const last = raw.legs[raw.legs.length - 1]?.to ?? -1;
  return {
    departure: instant(tt, day, raw.departure, first),
    arrival: instant(tt, day, raw.arrival, last),
    duration: raw.arrival - raw.departure,
    transfers: Math.max(0, raw.trips - 1),
    legs,
  };
}

/**
 * Journeys no other beats on both arrival and transfers, fewest transfers first. Several target platforms
 * are handled by asking for each and keeping the non-dominated results.
 */
export function planJourneys(
  tt: Timetable,
  query: JourneyQuery,
  describe: DescribeStop = (s) => stopOf(tt, s),
): Journey[] {
  return searchJourneys(tt, query, describe).journeys;
}

/** The journeys and what was searched for them, which an empty answer needs to say. */
export function searchJourneys(
  tt: Timetable,
  query: JourneyQuery,
  describe: DescribeStop = (s) => stopOf(tt, s),
): { journeys: Journey[]; searched: SearchHorizon } {
  const q = prepare(tt, query);
  const all: RaptorJourney[] = [];
  for (const target of q.targets) {
    if (q.origins.some((o) => o.stop === target)) continue;
    all.push(
      ...paretoRaw(tt, {
        origins: q.origins,
        day: q.day,
        departure: q.departure,
        latestArrival: q.latestArrival,
        target,
        maxRounds: q.maxRounds,
      }),
    );
  }
  all.sort((a, b) => a.trips - b.trips || a.arrival - b.arrival);
  const kept: RaptorJourney[] = [];
  for (const j of all) if (kept.every((k) => j.arrival < k.arrival)) kept.push(j);
  return {
    journeys: kept.map((j) => toJourney(tt, q.day, j, describe)),
    searched: searchHorizon(tt, q, q.targets[0] ?? -1),
  };
}

/** The earliest-arriving journey (fewest transfers among equals), or null when the target is not reached. */
export function earliestArrival(tt: Timetable, query: JourneyQuery): Journey | null {
  const journeys = planJourneys(tt, query);
  return journeys.length === 0 ? null : journeys[journeys.length - 1];
}

export interface ReachQuery {
  from: JourneyQuery['from'];
  date: string;
  /** Departure window, inclusive, `HH:MM`. */
  start: string;
  end: string;
  /** Seconds between departures; default 60. */
  step?: number;
  maxTransfers?: number;
}

export interface ReachResult {
  date: string;
  /** Departure seconds on the date's clock, earliest first. */
  departures: number[];
  /** `arrivals[i][s]`: arrival seconds at stop index s leaving at `departures[i]`, or -1 when unreachable. */
  arrivals: Int32Array[];
}

/** Arrival at every stop for each departure in a window: the raw material of travel-time matrices. */
export function reachInWindow(tt: Timetable, query: ReachQuery): ReachResult {
  const day = parseDate(query.date, 'date');
  const from = parseTime(query.start, 'start');
  const to = parseTime(query.end, 'end');
  if (to < from) throw problem('invalid-window', `end: ${query.end} is before start ${query.start}`, 'end');
  const step = query.step ?? 60;
  if (!Number.isInteger(step) || step < 1)
    throw problem('invalid-step', `step: ${step} must be ≥ 1 second`, 'step');
  if ((to - from) / step > 24 * 60)
    throw problem('invalid-window', 'the window has more than 1440 departures', 'step');
  assertCovered(tt.service, day, 'date');
  const origins = resolveOrigins(tt, query.from);
  const result = rangeRaw(tt, { origins, day, from, to, step, maxRounds: maxRoundsOf(query.maxTransfers) });
  for (const row of result.arrivals)
    for (let s = 0; s < row.length; s++) if (row[s] >= UNREACHED) row[s] = -1;
  return { date: query.date, departures: result.departures, arrivals: result.arrivals };
}

/** Earliest arrival at every stop (seconds on the date's clock, -1 when unreachable). */
export function reachAt(tt: Timetable, query: Omit<JourneyQuery, 'to'>): Int32Array {
  const day = parseDate(query.date, 'date');
  const departure = parseTime(query.time, 'time');
  assertCovered(tt.service, day, 'date');
  const origins = resolveOrigins(tt, query.from);
  const out = earliestArrivals(tt, { origins, day, departure, maxRounds: maxRoundsOf(query.maxTransfers) });
  for (let s = 0; s < out.length; s++) if (out[s] >= UNREACHED) out[s] = -1;
  return out;
}
