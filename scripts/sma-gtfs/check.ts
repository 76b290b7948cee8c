/**
 * Reads a written SMA feed back from its .txt files, validates it, and measures the figures the pack
 * promises (lines, departures, Hongqiao's peak gaps, sample travel times).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

interface FeedTables {
  stops: Set<string>;
  routes: Set<string>;
  /** trip id → route id, service id */
  trips: Map<string, { route: string; service: string }>;
  /** service id → runs on the date? */
  services: Map<string, { start: string; end: string; days: boolean[] }>;
  stopTimes: Map<string, { stop: string; arrival: number; departure: number; sequence: number }[]>;
  transfers: Map<string, number>;
}

function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
}

function parseTime(text: string): number {
  const match = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(text);
  if (!match) return Number.NaN;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

export function readFeedTables(dir: string): FeedTables {
  const at = (name: string) => path.join(dir, name);
  const stops = new Set(readCsv(at('stops.txt')).map((row) => row.stop_id));
  const routes = new Set(readCsv(at('routes.txt')).map((row) => row.route_id));
  const trips = new Map(
    readCsv(at('trips.txt')).map((row) => [row.trip_id, { route: row.route_id, service: row.service_id }]),
  );
  const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  const services = new Map(
    readCsv(at('calendar.txt')).map((row) => [
      row.service_id,
      { start: row.start_date, end: row.end_date, days: weekdays.map((day) => row[day] === '1') },
    ]),
  );
  const stopTimes: FeedTables['stopTimes'] = new Map();
  for (const row of readCsv(at('stop_times.txt'))) {
    const list = stopTimes.get(row.trip_id) ?? [];
    if (list.length === 0) stopTimes.set(row.trip_id, list);
    list.push({
      stop: row.stop_id,
      arrival: parseTime(row.arrival_time),
      departure: parseTime(row.departure_time),
      sequence: Number(row.stop_sequence),
    });
  }
  const transfers = new Map(
    readCsv(at('transfers.txt'))
      .filter((row) => row.from_stop_id === row.to_stop_id)
      .map((row) => [row.from_stop_id, Number(row.min_transfer_time)]),
  );
  return { stops, routes, trips, services, stopTimes, transfers };
}

/** Every problem found, as sentences; empty when the feed is sound. */
export function validateFeed(tables: FeedTables): string[] {
  const problems: string[] = [];
  for (const [tripId, trip] of tables.trips) {
    if (!tables.routes.has(trip.route)) problems.push(`trip ${tripId}: unknown route ${trip.route}`);
    if (!tables.services.has(trip.service)) problems.push(`trip ${tripId}: unknown service ${trip.service}`);
    const list = tables.stopTimes.get(tripId);
    if (!list || list.length < 2) problems.push(`trip ${tripId}: fewer than two stop times`);
  }
  for (const [tripId, list] of tables.stopTimes) {
    if (!tables.trips.has(tripId)) problems.push(`stop_times: unknown trip ${tripId}`);
    let previousSequence = -1;
    let previousTime = -1;
    const seen = new Set<string>();
    for (const stopTime of list) {
      if (!tables.stops.has(stopTime.stop)) problems.push(`trip ${tripId}: unknown stop ${stopTime.stop}`);
      if (seen.has(stopTime.stop)) problems.push(`trip ${tripId}: calls twice at ${stopTime.stop}`);
      seen.add(stopTime.stop);
      if (!(stopTime.sequence > previousSequence))
        problems.push(`trip ${tripId}: stop_sequence not increasing`);
      if (Number.isNaN(stopTime.arrival) || Number.isNaN(stopTime.departure)) {
        problems.push(`trip ${tripId}: bad time at ${stopTime.stop}`);
      } else if (stopTime.arrival < previousTime || stopTime.departure < stopTime.arrival) {
        problems.push(`trip ${tripId}: times decrease at ${stopTime.stop}`);
      }
      previousSequence = stopTime.sequence;
      previousTime = stopTime.departure;
    }
  }
  for (const stop of tables.transfers.keys()) {
    if (!tables.stops.has(stop)) problems.push(`transfers: unknown stop ${stop}`);
  }
  return problems.slice(0, 50);
}

/** Trips running on an ISO date (YYYY-MM-DD) according to calendar.txt (calendar_dates.txt is empty). */
export function tripsOn(tables: FeedTables, isoDate: string): string[] {
  const compact = isoDate.replaceAll('-', '');
  const weekday = (new Date(`${isoDate}T12:00:00Z`).getUTCDay() + 6) % 7;
  const running = new Set(
    [...tables.services]
      .filter(([, s]) => s.start <= compact && compact <= s.end && s.days[weekday])
      .map(([id]) => id),
  );
  return [...tables.trips].filter(([, trip]) => running.has(trip.service)).map(([id]) => id);
}

export function maxDepartureGap(
  tables: FeedTables,
  trips: string[],
  stop: string,
  from: number,
  to: number,
): number {
  const times: number[] = [];
  for (const tripId of trips) {
    const list = tables.stopTimes.get(tripId)!;
    list.forEach((stopTime, i) => {
      if (
        stopTime.stop === stop &&
        i < list.length - 1 &&
        stopTime.departure >= from &&
        stopTime.departure <= to
      ) {
        times.push(stopTime.departure);
      }
    });
  }
  times.sort((a, b) => a - b);
  let gap = 0;
  let previous = from;
  for (const time of [...times, to]) {
    gap = Math.max(gap, time - previous);
    previous = time;
  }
  return gap;
}

export interface DirectTimes {
  trips: number;
  fastestMinutes: number | null;
  slowestMinutes: number | null;
}

export function directTimes(tables: FeedTables, trips: string[], from: string, to: string): DirectTimes {
  const durations: number[] = [];
  for (const tripId of trips) {
    const list = tables.stopTimes.get(tripId)!;
    const i = list.findIndex((stopTime) => stopTime.stop === from);
    const j = list.findIndex((stopTime) => stopTime.stop === to);
    if (i >= 0 && j > i) durations.push((list[j].arrival - list[i].departure) / 60);
  }
  if (durations.length === 0) return { trips: 0, fastestMinutes: null, slowestMinutes: null };
  return {
    trips: durations.length,
    fastestMinutes: Math.min(...durations),
    slowestMinutes: Math.max(...durations),
  };
}

interface Connection {
  trip: string;
  from: string;
  to: string;
  departure: number;
  arrival: number;
}

function connections(tables: FeedTables, trips: string[]): Connection[] {
  const list: Connection[] = [];
  for (const tripId of trips) {
    const stopTimes = tables.stopTimes.get(tripId)!;
    for (let i = 0; i + 1 < stopTimes.length; i += 1) {
      list.push({
        trip: tripId,
        from: stopTimes[i].stop,
        to: stopTimes[i + 1].stop,
        departure: stopTimes[i].departure,
        arrival: stopTimes[i + 1].arrival,
      });
    }
  }
  return list.sort((a, b) => a.departure - b.departure || a.arrival - b.arrival);
}

/** Connection scan: earliest arrival at `to` leaving `from` no earlier than `start`, with minimum transfer times. */
function earliestArrival(
  tables: FeedTables,
  all: Connection[],
  from: string,
  to: string,
  start: number,
): { arrival: number; legs: number } | null {
  const arrival = new Map<string, number>([[from, start]]);
  const legsAt = new Map<string, number>([[from, 0]]);
  const onTrip = new Map<string, number>();
  for (const c of all) {
    if (c.departure < start) continue;
    if (c.departure >= (arrival.get(to) ?? Number.POSITIVE_INFINITY)) break;
    let legs = onTrip.get(c.trip);
    if (legs === undefined) {
      const reached = arrival.get(c.from);
      if (reached === undefined) continue;
      const change = c.from === from ? 0 : (tables.transfers.get(c.from) ?? 0);
      if (reached + change > c.departure) continue;
      legs = (legsAt.get(c.from) ?? 0) + 1;
      onTrip.set(c.trip, legs);
    }
    const known = arrival.get(c.to) ?? Number.POSITIVE_INFINITY;
    if (c.arrival < known || (c.arrival === known && legs < (legsAt.get(c.to) ?? 0))) {
      arrival.set(c.to, c.arrival);
      legsAt.set(c.to, legs);
    }
  }
  const best = arrival.get(to);
  return best === undefined ? null : { arrival: best, legs: legsAt.get(to) ?? 0 };
}

export interface Journey {
  departs: string | null;
  arrives: string | null;
  minutes: number | null;
  trains: number | null;
}

/**
 * The first journey that leaves `from` at or after `start`, timed from its actual departure: the latest
 * departure that still reaches `to` as early as possible.
 */
export function firstJourney(
  tables: FeedTables,
  trips: string[],
  from: string,
  to: string,
  start: number,
): Journey {
  const all = connections(tables, trips);
  const first = earliestArrival(tables, all, from, to, start);
  if (!first) return { departs: null, arrives: null, minutes: null, trains: null };
  const candidates = [
    ...new Set(all.filter((c) => c.from === from && c.departure >= start).map((c) => c.departure)),
  ]
    .filter((time) => time <= first.arrival)
    .sort((a, b) => b - a);
  for (const departure of candidates) {
    const result = earliestArrival(tables, all, from, to, departure);
    if (result && result.arrival === first.arrival) {
      return {
        departs: clock(departure),
        arrives: clock(result.arrival),
        minutes: (result.arrival - departure) / 60,
        trains: result.legs,
      };
    }
  }
  return { departs: null, arrives: clock(first.arrival), minutes: null, trains: first.legs };
}

function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
