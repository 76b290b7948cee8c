/**
 * A generated city-sized network for the large benchmarks, built as a `Feed` in memory (no files) with a
 * fixed seed, so every run sees the same timetable.
 *
 * Layout: a centre and six sub-centres in planar metres around (31.23 N, 121.47 E). Lines run between two
 * points drawn around random centres, along a quadratic curve with a random bend, so many of them cross the
 * core and overlap. A stop is placed every `spacing` metres (±25 %); if an existing stop lies within the
 * snap radius it is shared (that is where lines meet), otherwise a new stop is made. 24 metro lines (1.3 km
 * spacing, 36 km/h, every 3 min in the peaks and 6 min otherwise) and then bus lines (≈500 m spacing,
 * 18 km/h, slower in the peaks, every 8–15 min in the peaks and 14–30 min otherwise) are added until the
 * network has `minStops` stops. Service runs 05:00–24:00 on every day, both directions. Footpaths come from
 * the timetable builder (default settings: 500 m radius, transitive closure up to 15 min).
 */
import { seededRandom } from '../../src/lib/random.ts';
import type { Feed } from '../../src/transit/gtfs.ts';

type GtfsStop = Feed['stops'][number];
type GtfsTrip = Feed['trips'][number];

export interface LargeOptions {
  seed?: number;
  minStops?: number;
  metroLines?: number;
}

const LAT0 = 31.23;
const LON0 = 121.47;
const KY = 110_574;
const KX = 111_320 * Math.cos((LAT0 * Math.PI) / 180);
const PEAKS: [number, number][] = [
  [7 * 3600, 9.5 * 3600],
  [17 * 3600, 19.5 * 3600],
];
const isPeak = (t: number) => PEAKS.some(([a, b]) => t >= a && t < b);

/** The service day numbers the generated calendar covers (Sun 2024-10-06 … +30). */
export const LARGE_FIRST_DAY = 20_002;
export const LARGE_QUERY_DAY = 20_003;

export function generateLargeFeed(options: LargeOptions = {}): {
  feed: Feed;
  lines: number;
  metroLines: number;
} {
  const seed = options.seed ?? 42;
  const minStops = options.minStops ?? 20_500;
  const metroCount = options.metroLines ?? 24;
  const r = seededRandom(seed);
  const gauss = () => {
    let u = 0;
    while (u === 0) u = r();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  };
  const centres: [number, number, number][] = [[0, 0, 10_000]];
  for (let i = 0; i < 6; i++) {
    const a = (i / 6) * 2 * Math.PI + r() * 0.5;
    const d = 9000 + r() * 9000;
    centres.push([Math.cos(a) * d, Math.sin(a) * d, 5000]);
  }
  const pointNear = (): [number, number] => {
    const c = r() < 0.45 ? centres[0] : centres[1 + Math.floor(r() * 6)];
    return [c[0] + gauss() * c[2], c[1] + gauss() * c[2]];
  };

  // Stops, with a 250 m grid hash for snapping.
  const xs: number[] = [];
  const ys: number[] = [];
  const CELL = 250;
  const grid = new Map<number, number[]>();
  const cellKey = (cx: number, cy: number) => (cx + 100_000) * 200_000 + (cy + 100_000);
  const nearest = (x: number, y: number, radius: number): number => {
    let best = -1;
    let bestD = radius * radius;
    const span = Math.ceil(radius / CELL);
    const cx = Math.floor(x / CELL);
    const cy = Math.floor(y / CELL);
    for (let dx = -span; dx <= span; dx++)
      for (let dy = -span; dy <= span; dy++) {
        for (const s of grid.get(cellKey(cx + dx, cy + dy)) ?? []) {
          const d = (xs[s] - x) ** 2 + (ys[s] - y) ** 2;
          if (d <= bestD) {
            bestD = d;
            best = s;
          }
        }
      }
    return best;
  };
  const addStop = (x: number, y: number) => {
    const s = xs.length;
    xs.push(x);
    ys.push(y);
    const k = cellKey(Math.floor(x / CELL), Math.floor(y / CELL));
    const list = grid.get(k);
    if (list) list.push(s);
    else grid.set(k, [s]);
    return s;
  };

  interface Line {
    stops: number[];
    metro: boolean;
    peakHeadway: number;
    offHeadway: number;
  }
  const lines: Line[] = [];
  const makeLine = (metro: boolean) => {
    let a = pointNear();
    let b = pointNear();
    const minLen = metro ? 25_000 : 18_000;
    const maxLen = metro ? 50_000 : 40_000;
    for (let tries = 0; tries < 50; tries++) {
      const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
      if (len >= minLen && len <= maxLen) break;
      a = pointNear();
      b = pointNear();
    }
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const bend = (r() - 0.5) * 0.6 * len;
    const c: [number, number] = [
      (a[0] + b[0]) / 2 + (-(b[1] - a[1]) / len) * bend,
      (a[1] + b[1]) / 2 + ((b[0] - a[0]) / len) * bend,
    ];
    const spacing = metro ? 1300 : 420 + r() * 180;
    const snap = metro ? 350 : 90;
    const stops: number[] = [];
    const seen = new Set<number>();
    let travelled = 0;
    let next = 0;
    let [px, py] = a;
    const steps = Math.ceil(len / 25);
    for (let i = 0; i <= steps; i++) {
      const t = i / steps;
      const x = (1 - t) ** 2 * a[0] + 2 * (1 - t) * t * c[0] + t ** 2 * b[0];
      const y = (1 - t) ** 2 * a[1] + 2 * (1 - t) * t * c[1] + t ** 2 * b[1];
      travelled += Math.hypot(x - px, y - py);
      px = x;
      py = y;
      if (travelled < next) continue;
      next = travelled + spacing * (0.75 + r() * 0.5);
      let s = nearest(x, y, snap);
      if (s >= 0 && seen.has(s)) continue;
      if (s < 0) s = addStop(x + gauss() * 20, y + gauss() * 20);
      seen.add(s);
      stops.push(s);
    }
    if (stops.length < 2) return;
    lines.push({
      stops,
      metro,
      peakHeadway: metro ? 180 : 60 * (8 + Math.floor(r() * 8)),
      offHeadway: metro ? 360 : 60 * (14 + Math.floor(r() * 17)),
    });
  };
  for (let i = 0; i < metroCount; i++) makeLine(true);
  while (xs.length < minStops) makeLine(false);

  // Trips: both directions, 05:00 to 24:00, headway by band; times from distance, speed and dwell.
  const trips: GtfsTrip[] = [];
  const tripStart: number[] = [0];
  const chunks: { stops: number[]; arr: Int32Array; dep: Int32Array }[] = [];
  let total = 0;
  lines.forEach((line, li) => {
    for (const dir of [line.stops, [...line.stops].reverse()]) {
      const hop: number[] = [];
      for (let i = 1; i < dir.length; i++)
        hop.push(Math.hypot(xs[dir[i]] - xs[dir[i - 1]], ys[dir[i]] - ys[dir[i - 1]]));
      const speed = line.metro ? 10 : 5; // m/s
      const dwell = line.metro ? 30 : 20;
      let t = 5 * 3600 + Math.floor(r() * line.offHeadway);
      while (t < 24 * 3600) {
        const slow = !line.metro && isPeak(t) ? 1.25 : 1;
        const arr = new Int32Array(dir.length);
        const dep = new Int32Array(dir.length);
        let clock = t;
        for (let i = 0; i < dir.length; i++) {
          if (i > 0) clock += Math.round((hop[i - 1] / speed) * slow + 15);
          arr[i] = clock;
          dep[i] = i === 0 || i === dir.length - 1 ? clock : clock + dwell;
          clock = dep[i];
        }
        trips.push({
          id: `T${trips.length}`,
          route: li,
          service: 0,
          headsign: `${dir[dir.length - 1]}`,
          shortName: '',
        });
        chunks.push({ stops: dir, arr, dep });
        total += dir.length;
        tripStart.push(total);
        t += isPeak(t) ? line.peakHeadway : line.offHeadway;
      }
    }
  });
  const stop = new Int32Array(total);
  const arrival = new Int32Array(total);
  const departure = new Int32Array(total);
  let o = 0;
  for (const c of chunks) {
    stop.set(c.stops, o);
    arrival.set(c.arr, o);
    departure.set(c.dep, o);
    o += c.stops.length;
  }

  const stops: GtfsStop[] = xs.map((x, i) => ({
    id: `s${i}`,
    name: `Stop ${i}`,
    lat: LAT0 + ys[i] / KY,
    lon: LON0 + x / KX,
    locationType: 0,
    parent: -1,
    names: {},
    timezone: 'Asia/Shanghai',
  }));
  const feed: Feed = {
    hash: `bench-large-${seed}-${minStops}`,
    agencies: [{ id: 'A', name: 'Bench City Transit', timezone: 'Asia/Shanghai', lang: 'en' }],
    timezone: 'Asia/Shanghai',
    lang: 'en',
    info: undefined,
    stops,
    routes: lines.map((l, i) => ({
      id: `R${i}`,
      agencyId: 'A',
      shortName: l.metro ? `M${i + 1}` : `${i}`,
      longName: '',
      type: l.metro ? 1 : 3,
      color: null,
      longNames: {},
    })),
    services: [
      {
        id: 'daily',
        weekdays: 0x7f,
        start: LARGE_FIRST_DAY,
        end: LARGE_FIRST_DAY + 30,
        added: [],
        removed: [],
      },
    ],
    trips,
    stopTimes: {
      tripStart: Int32Array.from(tripStart),
      stop,
      arrival,
      departure,
      noPickup: new Uint8Array(total),
      noDropOff: new Uint8Array(total),
    },
    transfers: [],
  };
  return { feed, lines: lines.length, metroLines: metroCount };
}
