/**
 * The compact timetable: a feed turned into flat typed arrays indexed by integers, built once and then
 * immutable, so a server shares it between requests and saves it as one binary buffer.
 *
 * Trips are grouped into patterns (same route, same stops, same pickup/drop-off rules, no overtaking), which
 * is what lets RAPTOR scan a pattern once per round and find the earliest trip by a search over sorted
 * departures. Footpaths are computed here, not during a search: stops within a radius (kdbush), closed
 * transitively by a bounded Dijkstra, then adjusted by transfers.txt.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import KDBush from 'kdbush';
import { problem } from '../lib/errors.ts';
import { SECONDS_PER_DAY } from '../lib/time.ts';
import { buildServiceDays, type ServiceDays } from './calendar.ts';
import { type Feed, feedHash, type ReadGtfsOptions, readGtfs } from './gtfs.ts';
import type { RaptorData } from './raptor.ts';

export interface TimetableSettings {
  /** Stops closer than this (metres, straight line) are joined by a footpath. */
  walkRadius: number;
  /** Metres per second. */
  walkSpeed: number;
  /** Longest footpath after transitive closure, seconds. */
  maxWalkTime: number;
  /** Minimum time to change trains at one stop, and the shortest footpath, seconds (transfers.txt overrides). */
  changeTime: number;
}

export const defaultSettings: TimetableSettings = {
  walkRadius: 500,
  walkSpeed: 1.2,
  maxWalkTime: 900,
  changeTime: 60,
};

export interface StopNames {
  /** Language (lower case) → name. */
  [lang: string]: string;
}

export interface Timetable extends RaptorData {
  hash: string;
  timezone: string;
  lang: string;
  settings: TimetableSettings;
  service: ServiceDays;
  serviceIds: string[];

  stopIds: string[];
  stopNames: string[];
  stopNamesByLang: StopNames[];
  stopLat: Float64Array;
  stopLon: Float64Array;
  /** Parent station index or -1. */
  stopParent: Int32Array;
  stopLocationType: Uint8Array;
  /** The IANA zones stops show their times in (`zones[0]` is the feed's), and each stop's, by index. */
  zones: string[];
  stopZone: Uint16Array;

  routeIds: string[];
  routeShortNames: string[];
  routeLongNames: string[];
  /** `#rrggbb` or '' when the feed gives none. */
  routeColors: string[];
  /** Long names by language, from translations.txt. */
  routeLongNamesByLang: Record<string, string>[];
  routeTypes: Int32Array;

  patternRoute: Int32Array;
  tripIds: string[];
  tripHeadsigns: string[];
  tripPattern: Int32Array;
}

const EARTH_RADIUS = 6_371_000;

export function distanceMetres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS * Math.asin(Math.min(1, Math.sqrt(a)));
}

function checkSettings(settings: TimetableSettings): void {
  for (const key of ['walkRadius', 'walkSpeed', 'maxWalkTime', 'changeTime'] as const) {
    const value = settings[key];
    if (!Number.isFinite(value) || value < 0 || (key === 'walkSpeed' && value === 0)) {
      throw problem('invalid-setting', `${key}: ${value} must be a non-negative number`, key);
    }
  }
}

export function buildTimetable(feed: Feed, options: Partial<TimetableSettings> = {}): Timetable {
  const settings = { ...defaultSettings, ...options };
  checkSettings(settings);
  const service = buildServiceDays(feed);
  const stopCount = feed.stops.length;
  const st = feed.stopTimes;

  // Group trips by route, stops and boarding rules; the key is only used while building.
  const groups = new Map<string, number[]>();
  for (let t = 0; t < feed.trips.length; t++) {
    const from = st.tripStart[t];
    const to = st.tripStart[t + 1];
    if (to - from < 2) continue;
    let key = `${feed.trips[t].route}`;
    for (let i = from; i < to; i++) key += `,${st.stop[i]}:${st.noPickup[i] | (st.noDropOff[i] << 1)}`;
    const list = groups.get(key);
    if (list) list.push(t);
    else groups.set(key, [t]);
  }

  // A trip joins the first sub-pattern whose last trip it never overtakes nor is overtaken by, and whose first
  // trip it follows by less than a day everywhere: then no trip overtakes another one running a day (or
  // several) earlier or later either, which the search relies on when it looks at several service days.
  const follows = (a: number, b: number, first: number): boolean => {
    const ta = st.tripStart[a];
    const tb = st.tripStart[b];
    const tf = st.tripStart[first];
    for (let i = 0, n = st.tripStart[a + 1] - ta; i < n; i++) {
      if (st.departure[tb + i] < st.departure[ta + i] || st.arrival[tb + i] < st.arrival[ta + i])
        return false;
      if (st.departure[tb + i] - st.departure[tf + i] >= SECONDS_PER_DAY) return false;
      if (st.arrival[tb + i] - st.arrival[tf + i] >= SECONDS_PER_DAY) return false;
    }
    return true;
  };
  const patterns: number[][] = [];
  for (const trips of groups.values()) {
    trips.sort((a, b) => st.departure[st.tripStart[a]] - st.departure[st.tripStart[b]] || a - b);
    const subs: number[][] = [];
    for (const t of trips) {
      const sub = subs.find((s) => follows(s[s.length - 1], t, s[0]));
      if (sub) sub.push(t);
      else subs.push([t]);
    }
    patterns.push(...subs);
  }

  const patternCount = patterns.length;
  const patternStopStart = new Int32Array(patternCount + 1);
  const patternTripStart = new Int32Array(patternCount + 1);
  let stopSlots = 0;
  let tripSlots = 0;
  let timeSlots = 0;
  patterns.forEach((trips, p) => {
    const len = st.tripStart[trips[0] + 1] - st.tripStart[trips[0]];
    stopSlots += len;
    tripSlots += trips.length;
    timeSlots += len * trips.length;
    patternStopStart[p + 1] = stopSlots;
    patternTripStart[p + 1] = tripSlots;
  });
  const patternStops = new Int32Array(stopSlots);
  const patternStopFlags = new Uint8Array(stopSlots);
  const patternRoute = new Int32Array(patternCount);
  const tripTimeStart = new Int32Array(tripSlots);
  const tripService = new Int32Array(tripSlots);
  const tripPattern = new Int32Array(tripSlots);
  const arrivals = new Int32Array(timeSlots);
  const departures = new Int32Array(timeSlots);
  const tripIds: string[] = new Array(tripSlots);
  const tripHeadsigns: string[] = new Array(tripSlots);
  let time = 0;
  patterns.forEach((trips, p) => {
    const first = st.tripStart[trips[0]];
    const len = st.tripStart[trips[0] + 1] - first;
    patternRoute[p] = feed.trips[trips[0]].route;
    for (let i = 0; i < len; i++) {
      patternStops[patternStopStart[p] + i] = st.stop[first + i];
      patternStopFlags[patternStopStart[p] + i] = st.noPickup[first + i] | (st.noDropOff[first + i] << 1);
    }
    trips.forEach((t, k) => {
      const index = patternTripStart[p] + k;
      tripTimeStart[index] = time;
      tripService[index] = feed.trips[t].service;
      tripPattern[index] = p;
      tripIds[index] = feed.trips[t].id;
      tripHeadsigns[index] = feed.trips[t].headsign;
      arrivals.set(st.arrival.subarray(st.tripStart[t], st.tripStart[t + 1]), time);
      departures.set(st.departure.subarray(st.tripStart[t], st.tripStart[t + 1]), time);
      time += len;
    });
  });

  // Stop → (pattern, position); a looping pattern appears once per visit.
  const stopPatternStart = new Int32Array(stopCount + 1);
  for (let i = 0; i < stopSlots; i++) stopPatternStart[patternStops[i] + 1]++;
  for (let s = 0; s < stopCount; s++) stopPatternStart[s + 1] += stopPatternStart[s];
  const stopPatterns = new Int32Array(stopSlots);
  const stopPatternPos = new Int32Array(stopSlots);
  const fill = stopPatternStart.slice(0, stopCount);
  for (let p = 0; p < patternCount; p++) {
    for (let i = patternStopStart[p]; i < patternStopStart[p + 1]; i++) {
      const slot = fill[patternStops[i]]++;
      stopPatterns[slot] = p;
      stopPatternPos[slot] = i - patternStopStart[p];
    }
  }

  const stopLat = Float64Array.from(feed.stops, (s) => s.lat);
  const stopLon = Float64Array.from(feed.stops, (s) => s.lon);
  const stopParent = Int32Array.from(feed.stops, (s) => s.parent);
  const zones = [feed.timezone];
  const stopZone = Uint16Array.from(feed.stops, (s) => {
    let z = zones.indexOf(s.timezone || feed.timezone);
    if (z < 0) z = zones.push(s.timezone) - 1;
    return z;
  });
  const { transferStart, transferTo, transferTime, changeTime } = buildFootpaths(
    feed,
    stopLat,
    stopLon,
    stopParent,
    settings,
  );

  return {
    hash: feed.hash,
    timezone: feed.timezone,
    lang: feed.lang,
    settings,
    service,
    serviceIds: feed.services.map((s) => s.id),
    stopCount,
    stopIds: feed.stops.map((s) => s.id),
    stopNames: feed.stops.map((s) => s.name),
    stopNamesByLang: feed.stops.map((s) => s.names),
    stopLat,
    stopLon,
    stopParent,
    stopLocationType: Uint8Array.from(feed.stops, (s) => s.locationType),
    zones,
    stopZone,
    routeIds: feed.routes.map((r) => r.id),
    routeShortNames: feed.routes.map((r) => r.shortName),
    routeLongNames: feed.routes.map((r) => r.longName),
    routeColors: feed.routes.map((r) => r.color ?? ''),
    routeLongNamesByLang: feed.routes.map((r) => r.longNames),
    routeTypes: Int32Array.from(feed.routes, (r) => r.type),
    patternCount,
    patternRoute,
    patternStopStart,
    patternStops,
    patternStopFlags,
    patternTripStart,
    tripTimeStart,
    tripService,
    tripPattern,
    tripIds,
    tripHeadsigns,
    arrivals,
    departures,
    stopPatternStart,
    stopPatterns,
    stopPatternPos,
    transferStart,
    transferTo,
    transferTime,
    changeTime,
  };
}

/** Binary min-heap of (key, value) on parallel arrays: enough for the small Dijkstras below. */
class Heap {
  keys: number[] = [];
  values: number[] = [];
  get size() {
    return this.keys.length;
  }
  push(key: number, value: number) {
    const k = this.keys;
    const v = this.values;
    let i = k.length;
    k.push(key);
    v.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (k[parent] <= key) break;
      k[i] = k[parent];
      v[i] = v[parent];
      i = parent;
    }
    k[i] = key;
    v[i] = value;
  }
  /** Removes the minimum; read it first from keys[0]/values[0]. */
  pop() {
    const k = this.keys;
    const v = this.values;
    const lastKey = k.pop()!;
    const lastValue = v.pop()!;
    const n = k.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && k[child + 1] < k[child]) child++;
      if (k[child] >= lastKey) break;
      k[i] = k[child];
      v[i] = v[child];
      i = child;
    }
    k[i] = lastKey;
    v[i] = lastValue;
  }
}

export { Heap };

function buildFootpaths(
  feed: Feed,
  lat: Float64Array,
  lon: Float64Array,
  parent: Int32Array,
  settings: TimetableSettings,
) {
  const n = feed.stops.length;
  const boardable = (s: number) => feed.stops[s].locationType === 0 && Number.isFinite(lat[s]);
  const points: number[] = [];
  for (let s = 0; s < n; s++) if (boardable(s)) points.push(s);

  // Planar metres around the feed's mean latitude are accurate enough for a radius of a few hundred metres.
  let meanLat = 0;
  for (const s of points) meanLat += lat[s] / points.length;
  const kx = 111_320 * Math.cos((meanLat * Math.PI) / 180);
  const ky = 110_574;
  const neighbours: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  const walk = (a: number, b: number) =>
    Math.ceil(distanceMetres(lat[a], lon[a], lat[b], lon[b]) / settings.walkSpeed);
  if (points.length > 0 && settings.walkRadius > 0) {
    const index = new KDBush(points.length);
    for (const s of points) index.add(lon[s] * kx, lat[s] * ky);
    index.finish();
    // Slightly wider than the radius, since the planar projection is approximate; the exact check follows.
    const search = settings.walkRadius * 1.01 + 1;
    for (const s of points) {
      for (const j of index.within(lon[s] * kx, lat[s] * ky, search)) {
        const t = points[j];
        if (t === s) continue;
        if (distanceMetres(lat[s], lon[s], lat[t], lon[t]) <= settings.walkRadius)
          neighbours[s].set(t, walk(s, t));
      }
    }
  }
  // Platforms of one station are always connected, however far apart their coordinates say they are.
  const children = new Map<number, number[]>();
  for (const s of points) {
    if (parent[s] < 0) continue;
    const list = children.get(parent[s]) ?? [];
    list.push(s);
    children.set(parent[s], list);
  }
  for (const list of children.values()) {
    for (const a of list)
      for (const b of list) if (a !== b && !neighbours[a].has(b)) neighbours[a].set(b, walk(a, b));
  }

  // Transitive closure: the shortest walk within maxWalkTime over the neighbour graph.
  const paths: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  const dist = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const heap = new Heap();
  for (const s of points) {
    if (neighbours[s].size === 0) continue;
    const touched: number[] = [s];
    dist[s] = 0;
    heap.push(0, s);
    while (heap.size > 0) {
      const d = heap.keys[0];
      const u = heap.values[0];
      heap.pop();
      if (d > dist[u]) continue;
      if (u !== s) paths[s].set(u, d);
      for (const [v, w] of neighbours[u]) {
        const nd = d + w;
        if (nd <= settings.maxWalkTime && nd < dist[v]) {
          if (dist[v] === Number.POSITIVE_INFINITY) touched.push(v);
          dist[v] = nd;
          heap.push(nd, v);
        }
      }
    }
    for (const t of touched) dist[t] = Number.POSITIVE_INFINITY;
  }
  for (const s of points) for (const [t, d] of paths[s]) paths[s].set(t, Math.max(d, settings.changeTime));

  const changeTime = new Int32Array(n).fill(Math.round(settings.changeTime));
  // transfers.txt may name a station, meaning each of its platforms.
  const expand = (s: number) => children.get(s) ?? [s];
  for (const tr of feed.transfers) {
    for (const a of expand(tr.from)) {
      for (const b of expand(tr.to)) {
        if (a === b) {
          if (tr.type === 2) changeTime[a] = tr.minTime;
          // A transfer_type 3 on one stop cannot be told apart from staying aboard here; it is not modelled.
        } else if (tr.type === 3) {
          paths[a].delete(b);
        } else if (tr.type === 2) {
          paths[a].set(b, tr.minTime);
        } else if (!paths[a].has(b)) {
          paths[a].set(b, Math.max(walk(a, b), settings.changeTime));
        }
      }
    }
  }

  const transferStart = new Int32Array(n + 1);
  for (let s = 0; s < n; s++) transferStart[s + 1] = transferStart[s] + paths[s].size;
  const transferTo = new Int32Array(transferStart[n]);
  const transferTime = new Int32Array(transferStart[n]);
  for (let s = 0; s < n; s++) {
    let i = transferStart[s];
    for (const [t, d] of [...paths[s]].sort((x, y) => x[1] - y[1] || x[0] - y[0])) {
      transferTo[i] = t;
      transferTime[i] = d;
      i++;
    }
  }
  return { transferStart, transferTo, transferTime, changeTime };
}

export async function timetableFromGtfs(
  source: string,
  settings: Partial<TimetableSettings> = {},
  options: ReadGtfsOptions = {},
): Promise<Timetable> {
  return buildTimetable(await readGtfs(source, options), settings);
}

// Serialisation: a small header, a JSON part for strings and scalars, then the typed arrays, 8-byte aligned.
const MAGIC = 'TCTT';
const FORMAT_VERSION = 5;

type TypedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;
const arrayKinds = { Int32Array, Uint32Array, Uint16Array, Uint8Array, Float64Array } as const;
type ArrayKind = keyof typeof arrayKinds;

const arrayFields = [
  'stopLat',
  'stopLon',
  'stopParent',
  'stopLocationType',
  'stopZone',
  'routeTypes',
  'patternRoute',
  'patternStopStart',
  'patternStops',
  'patternStopFlags',
  'patternTripStart',
  'tripTimeStart',
  'tripService',
  'tripPattern',
  'arrivals',
  'departures',
  'stopPatternStart',
  'stopPatterns',
  'stopPatternPos',
  'transferStart',
  'transferTo',
  'transferTime',
  'changeTime',
] as const;

export function serializeTimetable(tt: Timetable): Buffer {
  const { service, ...rest } = tt;
  const meta: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (!(arrayFields as readonly string[]).includes(key) && typeof value !== 'function') meta[key] = value;
  }
  meta.service = { firstDay: service.firstDay, dayCount: service.dayCount, words: service.words };
  const arrays: [string, TypedArray][] = arrayFields.map((f) => [f, tt[f] as TypedArray]);
  arrays.push(['service.bits', service.bits]);
  meta.arrays = arrays.map(([name, a]) => [name, a.constructor.name, a.length]);
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const align = (x: number) => (x + 7) & ~7;
  let size = align(16 + json.length);
  for (const [, a] of arrays) size = align(size + a.byteLength);
  const out = Buffer.alloc(size);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(FORMAT_VERSION, 4);
  out.writeUInt32LE(json.length, 8);
  json.copy(out, 16);
  let offset = align(16 + json.length);
  for (const [, a] of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset = align(offset + a.byteLength);
  }
  return out;
}

export function deserializeTimetable(buffer: Uint8Array): Timetable {
  const bad = (why: string) => problem('timetable-invalid', `not a timetable file: ${why}`);
  const view = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (view.length < 16 || view.toString('latin1', 0, 4) !== MAGIC) throw bad('wrong magic');
  if (view.readUInt32LE(4) !== FORMAT_VERSION) throw bad(`format version ${view.readUInt32LE(4)}`);
  const jsonLength = view.readUInt32LE(8);
  const meta = JSON.parse(view.toString('utf8', 16, 16 + jsonLength)) as Record<string, unknown> & {
    arrays: [string, ArrayKind, number][];
    service: Omit<ServiceDays, 'bits'>;
  };
  const align = (x: number) => (x + 7) & ~7;
  // Copy into a fresh aligned buffer once, so every typed array can be a view on it.
  const body = new Uint8Array(view.length);
  body.set(view);
  let offset = align(16 + jsonLength);
  const arrays: Record<string, TypedArray> = {};
  for (const [name, kind, length] of meta.arrays) {
    const Kind = arrayKinds[kind];
    if (!Kind) throw bad(`unknown array type ${kind}`);
    const bytes = length * Kind.BYTES_PER_ELEMENT;
    if (offset + bytes > body.length) throw bad('truncated');
    arrays[name] = new Kind(body.buffer, offset, length);
    offset = align(offset + bytes);
  }
  const { arrays: _arrays, service, ...rest } = meta;
  return {
    ...(rest as unknown as Timetable),
    ...(arrays as unknown as Partial<Timetable>),
    service: { ...service, bits: arrays['service.bits'] as Uint32Array },
  } as Timetable;
}

export function saveTimetable(tt: Timetable, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename, so a concurrent reader never sees half a file.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, serializeTimetable(tt));
  renameSync(temp, file);
}

export function loadTimetable(file: string): Timetable {
  return deserializeTimetable(readFileSync(file));
}

/**
 * The timetable of a feed, built once and then loaded from `cacheDir`, keyed by the feed's hash and the
 * settings (which change the footpaths).
 */
export async function cachedTimetable(
  source: string,
  cacheDir: string,
  settings: Partial<TimetableSettings> = {},
  options: ReadGtfsOptions = {},
): Promise<Timetable> {
  const full = { ...defaultSettings, ...settings };
  const key = `${feedHash(source).slice(0, 24)}-${full.walkRadius}-${full.walkSpeed}-${full.maxWalkTime}-${full.changeTime}`;
  const file = path.join(cacheDir, `timetable-${key}.bin`);
  if (existsSync(file)) {
    try {
      return loadTimetable(file);
    } catch {
      // A stale or damaged cache file is rebuilt below.
    }
  }
  const tt = buildTimetable(await readGtfs(source, options), full);
  saveTimetable(tt, file);
  return tt;
}
