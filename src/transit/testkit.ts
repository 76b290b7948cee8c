/**
 * Test support: feeds built in memory (no files), and a deliberately naive journey search to check RAPTOR
 * and the timetable builder against. The brute force follows the model's rules literally, from the feed
 * alone: footpaths from all pairs of stops (walk radius, speed, a station's platforms, transfers.txt),
 * closed by Floyd–Warshall; then states (stop, arrived by ride or on foot, trips taken) over every active
 * trip of every service day, and a plain Dijkstra.
 */
import { weekday } from '../lib/time.ts';
import type { Feed, GtfsService, GtfsStop } from './gtfs.ts';
import { UNREACHED } from './raptor.ts';
import { distanceMetres, type TimetableSettings } from './timetable.ts';

export interface TestTrip {
  id?: string;
  route?: number;
  service?: number;
  /** [stop index, arrival, departure, flags (1 no pickup, 2 no drop-off)] */
  times: [number, number, number, number?][];
}

export interface TestFeed {
  stops: {
    id?: string;
    name?: string;
    lat: number;
    lon: number;
    parent?: number;
    /** 1 for a station (not boardable); default 0, a platform or stop. */
    locationType?: number;
    names?: Record<string, string>;
    timezone?: string;
  }[];
  trips: TestTrip[];
  services?: Partial<GtfsService>[];
  transfers?: { from: number; to: number; type: number; minTime: number }[];
  timezone?: string;
  routes?: number;
}

export function makeFeed(spec: TestFeed): Feed {
  const stops: GtfsStop[] = spec.stops.map((s, i) => ({
    id: s.id ?? `S${i}`,
    name: s.name ?? `Stop ${i}`,
    lat: s.lat,
    lon: s.lon,
    locationType: s.locationType ?? 0,
    parent: s.parent ?? -1,
    names: s.names ?? {},
    timezone: s.timezone ?? spec.timezone ?? 'Asia/Shanghai',
  }));
  const services: GtfsService[] = (spec.services ?? [{}]).map((s, i) => ({
    id: s.id ?? `svc${i}`,
    weekdays: s.weekdays ?? 0x7f,
    start: s.start ?? 20_000,
    end: s.end ?? 20_010,
    added: s.added ?? [],
    removed: s.removed ?? [],
  }));
  const routeCount = Math.max(spec.routes ?? 1, ...spec.trips.map((t) => (t.route ?? 0) + 1));
  const tripStart = [0];
  const stop: number[] = [];
  const arrival: number[] = [];
  const departure: number[] = [];
  const noPickup: number[] = [];
  const noDropOff: number[] = [];
  for (const t of spec.trips) {
    for (const [s, a, d, f = 0] of t.times) {
      stop.push(s);
      arrival.push(a);
      departure.push(d);
      noPickup.push(f & 1);
      noDropOff.push((f >> 1) & 1);
    }
    tripStart.push(stop.length);
  }
  return {
    hash: 'test',
    agencies: [{ id: 'A', name: 'Test', timezone: spec.timezone ?? 'Asia/Shanghai', lang: 'en' }],
    timezone: spec.timezone ?? 'Asia/Shanghai',
    lang: 'en',
    info: undefined,
    stops,
    routes: Array.from({ length: routeCount }, (_, i) => ({
      id: `R${i}`,
      agencyId: 'A',
      shortName: `R${i}`,
      longName: '',
      longNames: {},
      type: 2,
      color: null,
    })),
    services,
    trips: spec.trips.map((t, i) => ({
      id: t.id ?? `T${i}`,
      route: t.route ?? 0,
      service: t.service ?? 0,
      headsign: '',
      shortName: '',
    })),
    stopTimes: {
      tripStart: Int32Array.from(tripStart),
      stop: Int32Array.from(stop),
      arrival: Int32Array.from(arrival),
      departure: Int32Array.from(departure),
      noPickup: Uint8Array.from(noPickup),
      noDropOff: Uint8Array.from(noDropOff),
    },
    transfers: spec.transfers ?? [],
  };
}

function serviceRuns(s: GtfsService, day: number): boolean {
  if (s.removed.includes(day)) return false;
  if (s.added.includes(day)) return true;
  return (
    s.start !== undefined &&
    s.end !== undefined &&
    day >= s.start &&
    day <= s.end &&
    ((s.weekdays >> weekday(day)) & 1) === 1
  );
}

export interface Footpaths {
  /** `time[a][b]`: seconds on foot from a to b, or undefined where there is no footpath. */
  time: (number | undefined)[][];
  changeTime: number[];
}

/** The footpaths the GTFS rules and the settings call for, worked out over all pairs of stops. */
export function bruteFootpaths(feed: Feed, settings: TimetableSettings): Footpaths {
  const stops = feed.stops;
  const n = stops.length;
  const boardable = (s: number) => stops[s].locationType === 0 && Number.isFinite(stops[s].lat);
  const walk = (a: number, b: number) =>
    Math.ceil(distanceMetres(stops[a].lat, stops[a].lon, stops[b].lat, stops[b].lon) / settings.walkSpeed);
  // Direct walks: within the radius (0 turns walking off), or between platforms of one station.
  const dist: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(Infinity));
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      if (a === b || !boardable(a) || !boardable(b)) continue;
      const metres = distanceMetres(stops[a].lat, stops[a].lon, stops[b].lat, stops[b].lon);
      const near = settings.walkRadius > 0 && metres <= settings.walkRadius;
      const sameStation = stops[a].parent >= 0 && stops[a].parent === stops[b].parent;
      if (near || sameStation) dist[a][b] = walk(a, b);
    }
  }
  for (let k = 0; k < n; k++)
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++)
        if (dist[a][k] + dist[k][b] < dist[a][b]) dist[a][b] = dist[a][k] + dist[k][b];
  const time: (number | undefined)[][] = dist.map((row, a) =>
    row.map((d, b) =>
      a !== b && d <= settings.maxWalkTime ? Math.trunc(Math.max(d, settings.changeTime)) : undefined,
    ),
  );
  const changeTime = new Array<number>(n).fill(Math.round(settings.changeTime));
  // A transfer naming a station means each of its platforms.
  const expand = (s: number) => {
    const platforms = stops.flatMap((p, i) => (p.parent === s && boardable(i) ? [i] : []));
    return platforms.length > 0 ? platforms : [s];
  };
  for (const tr of feed.transfers) {
    for (const a of expand(tr.from)) {
      for (const b of expand(tr.to)) {
        if (a === b) {
          if (tr.type === 2) changeTime[a] = tr.minTime;
        } else if (tr.type === 3) time[a][b] = undefined;
        else if (tr.type === 2) time[a][b] = tr.minTime;
        else if (time[a][b] === undefined) time[a][b] = Math.trunc(Math.max(walk(a, b), settings.changeTime));
      }
    }
  }
  return { time, changeTime };
}

export interface BruteQuery {
  origins: { stop: number; access: number }[];
  day: number;
  departure: number;
  maxTrips: number;
  /** Latest arrival accepted, seconds on the day's clock, inclusive. */
  latestArrival: number;
}

/** `best[k][s]`: earliest arrival at stop s with at most k trips (UNREACHED if none), by brute force. */
export function bruteForce(feed: Feed, settings: TimetableSettings, query: BruteQuery): number[][] {
  const { origins, day, departure, maxTrips, latestArrival } = query;
  const n = feed.stops.length;
  const foot = bruteFootpaths(feed, settings);
  const WALK = 0;
  const RIDE = 1;
  // dist[(k * n + s) * 2 + kind]
  const dist = new Array<number>((maxTrips + 1) * n * 2).fill(UNREACHED);
  const done = new Array<boolean>(dist.length).fill(false);
  const relax = (k: number, s: number, kind: number, t: number) => {
    const i = (k * n + s) * 2 + kind;
    if (t <= latestArrival && t < dist[i]) dist[i] = t;
  };
  const walkFrom = (k: number, s: number, t: number) => {
    for (let v = 0; v < n; v++) {
      const w = foot.time[s][v];
      if (w !== undefined) relax(k, v, WALK, t + w);
    }
  };
  for (const o of origins) {
    relax(0, o.stop, WALK, departure + o.access);
    walkFrom(0, o.stop, departure + o.access);
  }
  const st = feed.stopTimes;
  // Every service day one of whose trips could be running between the departure and the latest arrival.
  let longest = 0;
  for (let i = 0; i < st.arrival.length; i++) longest = Math.max(longest, st.arrival[i]);
  const firstOffset = Math.floor((departure - longest) / 86_400) - 1;
  const lastOffset = Math.ceil(latestArrival / 86_400) + 1;
  for (;;) {
    let u = -1;
    for (let i = 0; i < dist.length; i++)
      if (!done[i] && dist[i] < UNREACHED && (u < 0 || dist[i] < dist[u])) u = i;
    if (u < 0) break;
    done[u] = true;
    const t = dist[u];
    const kind = u % 2;
    const s = Math.floor(u / 2) % n;
    const k = Math.floor(u / 2 / n);
    if (kind === RIDE) walkFrom(k, s, t);
    if (k === maxTrips) continue;
    const ready = kind === RIDE ? t + foot.changeTime[s] : t;
    for (let trip = 0; trip < feed.trips.length; trip++) {
      for (let offset = firstOffset; offset <= lastOffset; offset++) {
        if (!serviceRuns(feed.services[feed.trips[trip].service], day + offset)) continue;
        const shift = offset * 86_400;
        for (let i = st.tripStart[trip]; i < st.tripStart[trip + 1]; i++) {
          if (st.stop[i] !== s || st.noPickup[i] === 1 || st.departure[i] + shift < ready) continue;
          for (let j = i + 1; j < st.tripStart[trip + 1]; j++) {
            if (st.noDropOff[j] === 0) relax(k + 1, st.stop[j], RIDE, st.arrival[j] + shift);
          }
        }
      }
    }
  }
  const best: number[][] = [];
  for (let k = 0; k <= maxTrips; k++) {
    const row: number[] = [];
    for (let s = 0; s < n; s++) {
      let b = UNREACHED;
      for (let j = 0; j <= k; j++) b = Math.min(b, dist[(j * n + s) * 2], dist[(j * n + s) * 2 + 1]);
      row.push(b);
    }
    best.push(row);
  }
  return best;
}
