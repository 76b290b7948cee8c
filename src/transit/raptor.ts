/**
 * RAPTOR (Delling, Pajor, Werneck 2012) over a narrow view of the timetable, as in OpenTripPlanner 2: the
 * search sees only `RaptorData` — patterns serving a stop, trip times of a pattern, footpaths from a stop,
 * which services run on a day — so the timetable's layout can change without touching the search.
 *
 * Everything is stop indices and seconds on the query day's clock: a trip of the service day `dayOffset`
 * days later appears with its times shifted by `dayOffset` × 24 h. Any service day whose trips can still be
 * running at the departure, up to the horizon (the latest arrival), is searched, so a journey of several
 * nights is found; a day costs only when a pattern scan actually reaches it, since which services run on a
 * day is worked out the first time a search looks at that day. Turning indices into ids and instants is
 * planner.ts's job. Labels keep two kinds of arrival per round: by riding (a change at this stop costs its
 * change time) and by walking (boarding right away, but no second footpath), which is how "minimum change
 * time" and "no two footpaths in a row" hold by construction. Buffers live in a `Raptor` object reused
 * between queries; the inner loops allocate nothing.
 */
import type { ServiceDays } from './calendar.ts';

export interface RaptorData {
  stopCount: number;
  patternCount: number;
  /** Stops of pattern p: `patternStops[patternStopStart[p] + i]`. */
  patternStopStart: Int32Array;
  patternStops: Int32Array;
  /** Bit 0: no boarding at this position; bit 1: no alighting. */
  patternStopFlags: Uint8Array;
  /**
   * Trips of pattern p are `patternTripStart[p]` … `patternTripStart[p + 1] - 1`, sorted by departure, none
   * overtaking another, their times one trip after the other (`tripTimeStart[j + 1] = tripTimeStart[j] +`
   * the pattern's length), so the search steps from trip to trip without reading tripTimeStart.
   */
  patternTripStart: Int32Array;
  /** Times of trip j at position i: `arrivals[tripTimeStart[j] + i]`, `departures[…]`. */
  tripTimeStart: Int32Array;
  arrivals: Int32Array;
  departures: Int32Array;
  tripService: Int32Array;
  /** Patterns serving stop s: `stopPatterns[k]` at position `stopPatternPos[k]`, k in `stopPatternStart[s]` … */
  stopPatternStart: Int32Array;
  stopPatterns: Int32Array;
  stopPatternPos: Int32Array;
  /** Footpaths from stop s (already transitively closed), shortest first, seconds. */
  transferStart: Int32Array;
  transferTo: Int32Array;
  transferTime: Int32Array;
  /** Minimum time between alighting and boarding at the same stop. */
  changeTime: Int32Array;
  /** Degrees (NaN for a stop without a position): only for a lower bound on the time left to the target. */
  stopLat: Float64Array;
  stopLon: Float64Array;
  service: ServiceDays;
}

export const UNREACHED = 0x3fffffff;
const DAY = 86_400;

/**
 * How many days after leaving a journey may arrive, unless a query says otherwise. OpenTripPlanner 2's
 * maxJourneyDuration defaults to 24 h and is meant to be raised to 2 days for a country; a week covers the
 * longest train rides there are (Moscow–Vladivostok takes just under seven days), and costs nothing on a
 * network whose trips end the same day, because a day is only looked at when a trip reaches it.
 */
export const DEFAULT_HORIZON_DAYS = 7;

export interface Origin {
  stop: number;
  /** Seconds from the departure time until one stands at the stop. */
  access: number;
}

export interface RaptorQuery {
  origins: Origin[];
  /** Service date (day number) whose clock `departure` is on. */
  day: number;
  departure: number;
  /**
   * The latest arrival accepted, seconds on the day's clock (inclusive); default `departure` plus
   * DEFAULT_HORIZON_DAYS days.
   */
  latestArrival?: number;
  /** Stop to prune towards; without it every stop gets its earliest arrival. */
  target?: number;
  /** Most trips in a journey; transfers = trips - 1. */
  maxRounds?: number;
}

export type RaptorLeg =
  | { kind: 'walk'; from: number; to: number; departure: number; arrival: number }
  | {
      kind: 'ride';
      from: number;
      to: number;
      departure: number;
      arrival: number;
      trip: number;
      /** The trip's service date relative to the query day: -1 for yesterday's, 2 for the day after tomorrow's. */
      dayOffset: number;
      boardPos: number;
      alightPos: number;
    };

export interface RaptorJourney {
  legs: RaptorLeg[];
  departure: number;
  arrival: number;
  trips: number;
}

export const DEFAULT_MAX_ROUNDS = 8;

export function latestArrivalOf(query: { departure: number; latestArrival?: number }): number {
  return query.latestArrival ?? query.departure + DEFAULT_HORIZON_DAYS * DAY;
}

const latestDepartures = new WeakMap<RaptorData, number>();

/** The latest departure of any trip, seconds on its own service day's clock: how long ago a running trip can have started. */
export function latestDeparture(data: RaptorData): number {
  let latest = latestDepartures.get(data);
  if (latest !== undefined) return latest;
  latest = 0;
  for (let p = 0; p < data.patternCount; p++) {
    // Trips never overtake within a pattern, so its last trip leaves every stop last.
    const last = data.patternTripStart[p + 1] - 1;
    const len = data.patternStopStart[p + 1] - data.patternStopStart[p];
    if (last < data.patternTripStart[p]) continue;
    for (let i = 0; i < len; i++) latest = Math.max(latest, data.departures[data.tripTimeStart[last] + i]);
  }
  latestDepartures.set(data, latest);
  return latest;
}

interface Geometry {
  /** Stops on the unit sphere, x y z per stop (NaN without a position). */
  xyz: Float64Array;
  /**
   * The fastest anything moves in this timetable, as straight-line (chord) distance on the unit sphere
   * per second, over every hop of every trip and every footpath; Infinity when something covers ground in
   * no time (then no bound is possible).
   */
  speed: number;
}

const geometries = new WeakMap<RaptorData, Geometry>();

function geometryOf(d: RaptorData): Geometry {
  let g = geometries.get(d);
  if (g) return g;
  const n = d.stopCount;
  const xyz = new Float64Array(3 * n);
  const rad = Math.PI / 180;
  for (let s = 0; s < n; s++) {
    const lat = d.stopLat[s] * rad;
    const lon = d.stopLon[s] * rad;
    xyz[3 * s] = Math.cos(lat) * Math.cos(lon);
    xyz[3 * s + 1] = Math.cos(lat) * Math.sin(lon);
    xyz[3 * s + 2] = Math.sin(lat);
  }
  const chord = (a: number, b: number) =>
    Math.hypot(xyz[3 * a] - xyz[3 * b], xyz[3 * a + 1] - xyz[3 * b + 1], xyz[3 * a + 2] - xyz[3 * b + 2]);
  let speed = 0;
  const cover = (distance: number, seconds: number) => {
    if (!(distance > 0)) return;
    speed = Math.max(speed, seconds > 0 ? distance / seconds : Number.POSITIVE_INFINITY);
  };
  for (let p = 0; p < d.patternCount; p++) {
    const base = d.patternStopStart[p];
    const len = d.patternStopStart[p + 1] - base;
    const first = d.patternTripStart[p];
    const last = d.patternTripStart[p + 1];
    for (let i = 0; i + 1 < len; i++) {
      let fastest = Number.POSITIVE_INFINITY;
      for (let j = first; j < last; j++) {
        const t = d.tripTimeStart[j];
        fastest = Math.min(fastest, d.arrivals[t + i + 1] - d.departures[t + i]);
      }
      cover(chord(d.patternStops[base + i], d.patternStops[base + i + 1]), fastest);
    }
  }
  for (let s = 0; s < n; s++)
    for (let e = d.transferStart[s]; e < d.transferStart[s + 1]; e++)
      cover(chord(s, d.transferTo[e]), d.transferTime[e]);
  g = { xyz, speed };
  geometries.set(d, g);
  return g;
}

/**
 * For every stop, seconds that no journey from it to `target` can beat, whenever it leaves: the straight
 * line (a chord, shorter than any path over the earth) at the fastest speed anything in the timetable
 * moves, less a second for rounding. Zero everywhere when that speed is unbounded or the target has no
 * position.
 */
export function timeLeftBounds(
  data: RaptorData,
  target: number,
  out: Int32Array = new Int32Array(data.stopCount),
): Int32Array {
  const { xyz, speed } = geometryOf(data);
  if (!(speed > 0) || !Number.isFinite(speed) || Number.isNaN(xyz[3 * target])) return out.fill(0);
  const tx = xyz[3 * target];
  const ty = xyz[3 * target + 1];
  const tz = xyz[3 * target + 2];
  for (let s = 0; s < data.stopCount; s++) {
    const dx = xyz[3 * s] - tx;
    const dy = xyz[3 * s + 1] - ty;
    const dz = xyz[3 * s + 2] - tz;
    const seconds = Math.sqrt(dx * dx + dy * dy + dz * dz) / speed;
    out[s] = seconds >= 1 ? Math.floor(seconds) - 1 : 0;
  }
  return out;
}

export class Raptor {
  readonly data: RaptorData;
  readonly rounds: number;
  private readonly n: number;
  private readonly serviceCount: number;
  /** The latest departure of any trip on its own service day's clock: how far back a running trip can start. */
  private readonly latestDeparture: number;
  // Labels per round: index k * n + s.
  readonly rideArr: Int32Array;
  readonly walkArr: Int32Array;
  private readonly rideTrip: Int32Array;
  private readonly rideDay: Int16Array;
  private readonly rideBoard: Int32Array;
  private readonly rideAlight: Int32Array;
  private readonly walkFrom: Int32Array;
  readonly bestRide: Int32Array;
  readonly bestWalk: Int32Array;
  private readonly originTime: Int32Array;
  private readonly marked: Uint8Array;
  private readonly markedList: Int32Array;
  private markedCount = 0;
  private readonly patternFrom: Int32Array;
  private readonly patternList: Int32Array;
  /**
   * Which services run on the query day + offset, one byte per service, one slot per offset from `slotBase`;
   * a slot is filled the first time a search looks at that day (`slotDay` says which day it holds).
   */
  private active: Uint8Array = new Uint8Array(0);
  private slotDay: Int32Array = new Int32Array(0);
  private slotBase = 0;
  private queryDay = Number.NaN;
  /** Day offsets a run may board: trips of earlier days have ended, later ones leave after the horizon. */
  private lastOffset = 0;
  private target = -1;
  /** Arrivals must be below this: the latest arrival + 1, or the target's arrival once it is reached. */
  private bound = UNREACHED;
  /**
   * Seconds no journey from a stop to the target can beat (straight line at the timetable's top speed), so
   * a label with `time + remaining[s] >= bound` cannot lead to an arrival that counts. All zero without a
   * target.
   */
  private readonly remaining: Int32Array;
  private remainingFor = -1;
  // earliestTrip's answer besides the departure it returns.
  private foundTrip = -1;
  private foundOffset = 0;

  constructor(data: RaptorData, rounds = DEFAULT_MAX_ROUNDS) {
    this.data = data;
    this.rounds = rounds;
    const n = data.stopCount;
    this.n = n;
    this.serviceCount = data.service.words === 0 ? 0 : data.service.bits.length / data.service.words;
    this.latestDeparture = latestDeparture(data);
    const size = (rounds + 1) * n;
    this.rideArr = new Int32Array(size);
    this.walkArr = new Int32Array(size);
    this.rideTrip = new Int32Array(size);
    this.rideDay = new Int16Array(size);
    this.rideBoard = new Int32Array(size);
    this.rideAlight = new Int32Array(size);
    this.walkFrom = new Int32Array(size);
    this.bestRide = new Int32Array(n);
    this.bestWalk = new Int32Array(n);
    this.originTime = new Int32Array(n);
    this.marked = new Uint8Array(n);
    this.markedList = new Int32Array(n);
    this.patternFrom = new Int32Array(data.patternCount).fill(UNREACHED);
    this.patternList = new Int32Array(data.patternCount);
    this.remaining = new Int32Array(n);
  }

  private aimAt(target: number): void {
    if (target === this.remainingFor) return;
    this.remainingFor = target;
    if (target < 0) this.remaining.fill(0);
    else timeLeftBounds(this.data, target, this.remaining);
  }

  /** Forgets all labels; range queries skip this between departures on purpose. */
  reset(): void {
    this.rideArr.fill(UNREACHED);
    this.walkArr.fill(UNREACHED);
    this.bestRide.fill(UNREACHED);
    this.bestWalk.fill(UNREACHED);
    this.originTime.fill(UNREACHED);
  }

  /** Makes room for the day offsets a run may look at; their contents are filled lazily. */
  private prepareDays(day: number, departure: number, latestArrival: number): void {
    const first = Math.floor((departure - this.latestDeparture) / DAY);
    const last = Math.max(first, Math.floor(latestArrival / DAY));
    this.lastOffset = last;
    if (day === this.queryDay && first >= this.slotBase && last - this.slotBase < this.slotDay.length) return;
    const slots = last - first + 1;
    if (slots > this.slotDay.length) {
      this.slotDay = new Int32Array(slots);
      this.active = new Uint8Array(slots * this.serviceCount);
    }
    this.slotDay.fill(-1);
    this.slotBase = first;
    this.queryDay = day;
  }

  private fillSlot(slot: number, day: number): void {
    const sd = this.data.service;
    const words = sd.words;
    const rel = day - sd.firstDay;
    const inRange = rel >= 0 && rel < sd.dayCount;
    const base = slot * this.serviceCount;
    for (let s = 0; s < this.serviceCount; s++) {
      this.active[base + s] = inRange ? (sd.bits[s * words + (rel >> 5)] >>> (rel & 31)) & 1 : 0;
    }
    this.slotDay[slot] = day;
  }

  /** Runs one search; labels from earlier runs stay unless `reset()` was called. */
  run(query: RaptorQuery, target = -1): void {
    const d = this.data;
    const n = this.n;
    const rounds = Math.min(query.maxRounds ?? this.rounds, this.rounds);
    const latestArrival = latestArrivalOf(query);
    this.prepareDays(query.day, query.departure, latestArrival);
    this.target = target;
    this.aimAt(target);
    const remaining = this.remaining;
    this.bound = latestArrival + 1;
    if (target >= 0) this.bound = Math.min(this.bound, this.bestRide[target], this.bestWalk[target]);
    this.markedCount = 0;

    // Round 0: origins, then one footpath from each origin.
    const originList: number[] = [];
    for (const o of query.origins) {
      const t = query.departure + o.access;
      if (t >= this.bound) continue;
      if (t < this.originTime[o.stop]) this.originTime[o.stop] = t;
      if (t < this.walkArr[o.stop]) {
        this.walkArr[o.stop] = t;
        this.walkFrom[o.stop] = -1;
        if (t < this.bestWalk[o.stop]) this.bestWalk[o.stop] = t;
        if (o.stop === target) this.bound = t;
        this.mark(o.stop);
      }
      originList.push(o.stop);
    }
    for (const s of originList) {
      const t0 = query.departure + accessOf(query.origins, s);
      for (let e = d.transferStart[s]; e < d.transferStart[s + 1]; e++) {
        const v = d.transferTo[e];
        const t = t0 + d.transferTime[e];
        if (t >= this.bound) break;
        if (t < this.walkArr[v] && t < this.bestWalk[v] && t + remaining[v] < this.bound) {
          this.walkArr[v] = t;
          this.walkFrom[v] = s;
          this.bestWalk[v] = t;
          if (v === target) this.bound = t;
          this.mark(v);
        }
      }
    }

    const transferStart = d.transferStart;
    const transferTo = d.transferTo;
    const transferTime = d.transferTime;
    const stopPatternStart = d.stopPatternStart;
    const stopPatterns = d.stopPatterns;
    const stopPatternPos = d.stopPatternPos;
    const patternFrom = this.patternFrom;
    const patternList = this.patternList;
    const markedList = this.markedList;
    const marked = this.marked;
    const rideArr = this.rideArr;
    const walkArr = this.walkArr;
    const walkFrom = this.walkFrom;
    const bestWalk = this.bestWalk;
    const bestRide = this.bestRide;
    const changeTime = d.changeTime;
    for (let k = 1; k <= rounds && this.markedCount > 0; k++) {
      // Collect each pattern once, from its earliest marked position.
      let patternCount = 0;
      for (let m = 0; m < this.markedCount; m++) {
        const s = markedList[m];
        marked[s] = 0;
        for (let e = stopPatternStart[s]; e < stopPatternStart[s + 1]; e++) {
          const p = stopPatterns[e];
          const pos = stopPatternPos[e];
          const from = patternFrom[p];
          if (from === UNREACHED) patternList[patternCount++] = p;
          if (pos < from) patternFrom[p] = pos;
        }
      }
      this.markedCount = 0;
      const prev = (k - 1) * n;
      const cur = k * n;
      for (let q = 0; q < patternCount; q++) {
        const p = patternList[q];
        const from = patternFrom[p];
        patternFrom[p] = UNREACHED;
        this.scanPattern(p, from, prev, cur);
      }
      // Footpaths from the stops reached by riding in this round; walking on from a walk is not allowed.
      // A walk is kept only if it beats the best walk there and arriving there by train (change time
      // included): otherwise the train already did better, with as few trips or fewer.
      const ridden = this.markedCount;
      let bound = this.bound;
      for (let m = 0; m < ridden; m++) {
        const s = markedList[m];
        const arr = rideArr[cur + s];
        // Walking on cannot beat the straight line from here either.
        if (arr + remaining[s] >= bound) continue;
        // Footpaths are sorted by duration: once one reaches past the bound, all the rest do.
        for (let e = transferStart[s], end = transferStart[s + 1]; e < end; e++) {
          const t = arr + transferTime[e];
          if (t >= bound) break;
          const v = transferTo[e];
          if (t < bestWalk[v] && t < bestRide[v] + changeTime[v] && t + remaining[v] < bound) {
            walkArr[cur + v] = t;
            walkFrom[cur + v] = s;
            bestWalk[v] = t;
            if (v === target) bound = t;
            this.mark(v);
          }
        }
      }
      this.bound = bound;
    }
    // Leave the marks clean for the next run.
    for (let m = 0; m < this.markedCount; m++) marked[markedList[m]] = 0;
    this.markedCount = 0;
  }

  private mark(s: number): void {
    if (this.marked[s] === 0) {
      this.marked[s] = 1;
      this.markedList[this.markedCount++] = s;
    }
  }

  private scanPattern(p: number, from: number, prev: number, cur: number): void {
    const d = this.data;
    const patternStops = d.patternStops;
    const patternStopFlags = d.patternStopFlags;
    const arrivals = d.arrivals;
    const departures = d.departures;
    const changeTime = d.changeTime;
    const rideArr = this.rideArr;
    const walkArr = this.walkArr;
    const bestRide = this.bestRide;
    const rideTrip = this.rideTrip;
    const rideDay = this.rideDay;
    const rideBoard = this.rideBoard;
    const rideAlight = this.rideAlight;
    const target = this.target;
    const remaining = this.remaining;
    // Only this scan moves the bound while it runs.
    let bound = this.bound;
    const base = d.patternStopStart[p];
    const len = d.patternStopStart[p + 1] - base;
    let trip = -1;
    let shift = 0;
    let tripDay = 0;
    let boardPos = -1;
    let times = 0;
    // Trips of a pattern are stored one after another, `len` times each (see RaptorData).
    const firstTrip = d.patternTripStart[p];
    const lastTimes = d.tripTimeStart[firstTrip] + (d.patternTripStart[p + 1] - 1 - firstTrip) * len;
    for (let i = from; i < len; i++) {
      const s = patternStops[base + i];
      const flags = patternStopFlags[base + i];
      if (trip >= 0 && (flags & 2) === 0) {
        const arr = arrivals[times + i] + shift;
        if (arr < bestRide[s] && arr + remaining[s] < bound) {
          rideArr[cur + s] = arr;
          bestRide[s] = arr;
          rideTrip[cur + s] = trip;
          rideDay[cur + s] = tripDay;
          rideBoard[cur + s] = boardPos;
          rideAlight[cur + s] = i;
          if (s === target) bound = arr;
          this.mark(s);
        }
      }
      if ((flags & 1) !== 0) continue;
      const byRide = rideArr[prev + s];
      const byWalk = walkArr[prev + s];
      const ready = byRide === UNREACHED ? byWalk : Math.min(byRide + changeTime[s], byWalk);
      if (ready >= UNREACHED) continue;
      // Only a trip leaving earlier than the one ridden, and early enough to reach the target before the
      // bound, can improve anything.
      const current = trip >= 0 ? departures[times + i] + shift : UNREACHED;
      if (ready >= current) continue;
      // Any trip boarded here leaves at `ready` or later: it cannot beat the bound from here.
      if (ready + remaining[s] >= bound) continue;
      // Riding already: when the trip before this one (of the same day) leaves too early, and so does
      // the last trip of the day before, no earlier trip can be caught here; no search is needed.
      if (
        trip >= 0 &&
        (trip === firstTrip || departures[times - len + i] + shift < ready) &&
        departures[lastTimes + i] + shift - DAY < ready
      )
        continue;
      if (this.earliestTrip(p, i, len, ready, Math.min(current, bound - remaining[s])) < 0) continue;
      trip = this.foundTrip;
      tripDay = this.foundOffset;
      shift = tripDay * DAY;
      times = d.tripTimeStart[trip];
      boardPos = i;
    }
    this.bound = bound;
  }

  /**
   * The trip of pattern p leaving position i first at or after `time` and before `before`, over every service
   * day that can have one: returns its departure (query clock) and sets foundTrip and foundOffset; -1 if none.
   */
  private earliestTrip(p: number, i: number, len: number, time: number, before: number): number {
    const d = this.data;
    const departures = d.departures;
    const tripService = d.tripService;
    const first = d.patternTripStart[p];
    const count = d.patternTripStart[p + 1] - first;
    // Trips of a pattern are stored one after another, `len` times each: trip first + j is at base + j * len.
    const base = d.tripTimeStart[first] + i;
    const firstDep = departures[base];
    const lastDep = departures[base + (count - 1) * len];
    let best = before;
    let result = -1;
    // The first service day with a trip still to leave at `time`; later days only while they can beat `best`.
    let offset = Math.ceil((time - lastDep) / DAY);
    if (offset < this.slotBase) offset = this.slotBase;
    for (; offset <= this.lastOffset; offset++) {
      const shift = offset * DAY;
      if (firstDep + shift >= best) break;
      const t = time - shift;
      let lo = 0;
      if (firstDep < t) {
        let hi = count - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (departures[base + mid * len] < t) lo = mid + 1;
          else hi = mid;
        }
      }
      const slot = offset - this.slotBase;
      const day = this.queryDay + offset;
      if (this.slotDay[slot] !== day) this.fillSlot(slot, day);
      const active = this.active;
      const activeBase = slot * this.serviceCount;
      for (let j = lo; j < count; j++) {
        const dep = departures[base + j * len] + shift;
        if (dep >= best) break;
        if (active[activeBase + tripService[first + j]] === 1) {
          best = dep;
          result = dep;
          this.foundTrip = first + j;
          this.foundOffset = offset;
          break;
        }
      }
    }
    return result;
  }

  /** Best arrival at s with at most k trips (k = rounds for any). */
  arrivalAt(s: number): number {
    return Math.min(this.bestRide[s], this.bestWalk[s]);
  }

  /** Arrival at s in round k exactly (UNREACHED when round k did not improve on fewer trips). */
  roundArrival(k: number, s: number): number {
    const i = k * this.n + s;
    return Math.min(this.rideArr[i], this.walkArr[i]);
  }

  /** The legs that led to the round-k label at s. */
  journey(k: number, s: number): RaptorJourney {
    const d = this.data;
    const n = this.n;
    const legs: RaptorLeg[] = [];
    let walk = this.walkArr[k * n + s] <= this.rideArr[k * n + s];
    const trips = k;
    const arrival = Math.min(this.walkArr[k * n + s], this.rideArr[k * n + s]);
    for (;;) {
      const i = k * n + s;
      if (walk) {
        const from = this.walkFrom[i];
        if (from < 0) break;
        const duration = this.walkArr[i] - (k === 0 ? this.originTime[from] : this.rideArr[k * n + from]);
        legs.push({
          kind: 'walk',
          from,
          to: s,
          departure: this.walkArr[i] - duration,
          arrival: this.walkArr[i],
        });
        s = from;
        if (k === 0) break;
        walk = false;
        continue;
      }
      const trip = this.rideTrip[i];
      const dayOffset = this.rideDay[i];
      const boardPos = this.rideBoard[i];
      const alightPos = this.rideAlight[i];
      const p = patternOfTrip(d, trip);
      const board = d.patternStops[d.patternStopStart[p] + boardPos];
      const dep = d.departures[d.tripTimeStart[trip] + boardPos] + dayOffset * DAY;
      legs.push({
        kind: 'ride',
        from: board,
        to: s,
        departure: dep,
        arrival: this.rideArr[i],
        trip,
        dayOffset,
        boardPos,
        alightPos,
      });
      k--;
      s = board;
      walk = this.walkArr[k * n + s] <= dep;
    }
    legs.reverse();
    // The first walk is taken as late as still catches the first trip.
    if (legs.length > 1 && legs[0].kind === 'walk' && legs[1].kind === 'ride') {
      const slack = legs[1].departure - legs[0].arrival;
      legs[0] = { ...legs[0], departure: legs[0].departure + slack, arrival: legs[0].arrival + slack };
    }
    const departure = legs.length > 0 ? legs[0].departure : arrival;
    return { legs, departure, arrival, trips };
  }
}

function accessOf(origins: Origin[], stop: number): number {
  let best = UNREACHED;
  for (const o of origins) if (o.stop === stop && o.access < best) best = o.access;
  return best;
}

/** Binary search over patternTripStart, so trips need not store their pattern for the search's sake. */
export function patternOfTrip(d: RaptorData, trip: number): number {
  let lo = 0;
  let hi = d.patternCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (d.patternTripStart[mid] <= trip) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const engines = new WeakMap<RaptorData, Raptor>();

/** One engine per timetable, reused by every query (JavaScript runs one query at a time). */
export function raptorFor(data: RaptorData, rounds = DEFAULT_MAX_ROUNDS): Raptor {
  let engine = engines.get(data);
  if (!engine || engine.rounds < rounds) {
    engine = new Raptor(data, Math.max(rounds, DEFAULT_MAX_ROUNDS));
    engines.set(data, engine);
  }
  return engine;
}

/** Earliest arrival at every stop (UNREACHED where none), best over up to `maxRounds` trips. */
export function earliestArrivals(data: RaptorData, query: RaptorQuery): Int32Array {
  const r = raptorFor(data, query.maxRounds);
  r.reset();
  r.run(query, -1);
  const out = new Int32Array(data.stopCount);
  for (let s = 0; s < data.stopCount; s++) out[s] = r.arrivalAt(s);
  return out;
}

/** The earliest-arriving journey to `target`, with the fewest trips among those arriving then; null if none. */
export function earliestJourney(
  data: RaptorData,
  query: RaptorQuery & { target: number },
): RaptorJourney | null {
  const all = paretoJourneys(data, query);
  return all.length === 0 ? null : all[all.length - 1];
}

/** Journeys to `target` that no other beats on both arrival and number of trips, fewest trips first. */
export function paretoJourneys(data: RaptorData, query: RaptorQuery & { target: number }): RaptorJourney[] {
  const rounds = query.maxRounds ?? DEFAULT_MAX_ROUNDS;
  const r = raptorFor(data, rounds);
  r.reset();
  r.run(query, query.target);
  const result: RaptorJourney[] = [];
  let best = UNREACHED;
  for (let k = 0; k <= Math.min(rounds, r.rounds); k++) {
    const arr = r.roundArrival(k, query.target);
    if (arr < best) {
      best = arr;
      result.push(r.journey(k, query.target));
    }
  }
  return result;
}

export interface RangeQuery {
  origins: Origin[];
  day: number;
  /** Departure window on the day's clock, inclusive, seconds. */
  from: number;
  to: number;
  /** Seconds between departures; 60 for every minute. */
  step: number;
  /** One latest arrival for every departure (so labels carry over); default `to` plus the horizon. */
  latestArrival?: number;
  maxRounds?: number;
}

export interface RangeResult {
  /** Departure times, earliest first. */
  departures: number[];
  /** `arrivals[i][s]`: earliest arrival at stop s leaving at `departures[i]` (UNREACHED where none). */
  arrivals: Int32Array[];
}

/**
 * rRAPTOR: departures from latest to earliest, keeping labels between them — a journey that can leave later
 * can also leave earlier, so old labels are valid bounds and each run only improves on them.
 */
export function rangeRaptor(data: RaptorData, query: RangeQuery): RangeResult {
  const r = raptorFor(data, query.maxRounds);
  r.reset();
  const departures: number[] = [];
  for (let t = query.from; t <= query.to; t += query.step) departures.push(t);
  const arrivals: Int32Array[] = new Array(departures.length);
  const latestArrival = latestArrivalOf({ departure: query.to, latestArrival: query.latestArrival });
  for (let i = departures.length - 1; i >= 0; i--) {
    r.run(
      {
        origins: query.origins,
        day: query.day,
        departure: departures[i],
        latestArrival,
        maxRounds: query.maxRounds,
      },
      -1,
    );
    const out = new Int32Array(data.stopCount);
    for (let s = 0; s < data.stopCount; s++) out[s] = r.arrivalAt(s);
    arrivals[i] = out;
  }
  return { departures, arrivals };
}
