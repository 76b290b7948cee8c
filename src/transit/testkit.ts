/**
 * Test support: feeds built in memory (no files), and a deliberately naive journey search to check RAPTOR
 * against. The brute force follows the model's rules literally — states (stop, arrived by ride or on foot,
 * trips taken), any active trip of the previous, same or next service day — and runs a plain Dijkstra.
 */
import { weekday } from '../lib/time.ts';
import type { Feed, GtfsService, GtfsStop } from './gtfs.ts';
import { UNREACHED } from './raptor.ts';
import type { Timetable } from './timetable.ts';

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
    names?: Record<string, string>;
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
    locationType: 0,
    parent: s.parent ?? -1,
    names: s.names ?? {},
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

/**
 * `best[k][s]`: earliest arrival at stop s with at most k trips (UNREACHED if none), by brute force. Footpaths
 * come from the timetable (their construction is tested on its own); trips and calendars from the feed.
 */
export function bruteForce(
  feed: Feed,
  tt: Timetable,
  origins: { stop: number; access: number }[],
  day: number,
  departure: number,
  maxTrips: number,
): number[][] {
  const n = feed.stops.length;
  const WALK = 0;
  const RIDE = 1;
  // dist[(k * n + s) * 2 + kind]
  const dist = new Array<number>((maxTrips + 1) * n * 2).fill(UNREACHED);
  const done = new Array<boolean>(dist.length).fill(false);
  const relax = (k: number, s: number, kind: number, t: number) => {
    const i = (k * n + s) * 2 + kind;
    if (t < dist[i]) dist[i] = t;
  };
  for (const o of origins) {
    const t = departure + o.access;
    relax(0, o.stop, WALK, t);
    for (let e = tt.transferStart[o.stop]; e < tt.transferStart[o.stop + 1]; e++) {
      relax(0, tt.transferTo[e], WALK, t + tt.transferTime[e]);
    }
  }
  const st = feed.stopTimes;
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
    if (kind === RIDE) {
      for (let e = tt.transferStart[s]; e < tt.transferStart[s + 1]; e++) {
        relax(k, tt.transferTo[e], WALK, t + tt.transferTime[e]);
      }
    }
    if (k === maxTrips) continue;
    const ready = kind === RIDE ? t + tt.changeTime[s] : t;
    for (let trip = 0; trip < feed.trips.length; trip++) {
      for (let offset = -1; offset <= 1; offset++) {
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
