/**
 * RAPTOR (Delling, Pajor, Werneck 2012) over a narrow view of the timetable, as in OpenTripPlanner 2: the
 * search sees only `RaptorData` — patterns serving a stop, trip times of a pattern, footpaths from a stop,
 * which services run on a day — so the timetable's layout can change without touching the search.
 *
 * Everything is stop indices and seconds on the query day's clock (trips of the previous service day appear
 * with times shifted by -24 h, of the next by +24 h). Turning indices into ids and instants is planner.ts's
 * job. Labels keep two kinds of arrival per round: by riding (a change at this stop costs its change time)
 * and by walking (boarding right away, but no second footpath), which is how "minimum change time" and
 * "no two footpaths in a row" hold by construction. Buffers live in a `Raptor` object reused between
 * queries; the inner loops allocate nothing.
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
  /** Trips of pattern p are `patternTripStart[p]` … `patternTripStart[p + 1] - 1`, sorted by departure. */
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
  /** Footpaths from stop s (already transitively closed), seconds. */
  transferStart: Int32Array;
  transferTo: Int32Array;
  transferTime: Int32Array;
  /** Minimum time between alighting and boarding at the same stop. */
  changeTime: Int32Array;
  service: ServiceDays;
}

export const UNREACHED = 0x3fffffff;
const DAY = 86_400;

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
      /** -1, 0 or 1: the trip's service date relative to the query day. */
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

export class Raptor {
  readonly data: RaptorData;
  readonly rounds: number;
  private readonly n: number;
  private readonly serviceCount: number;
  // Labels per round: index k * n + s.
  readonly rideArr: Int32Array;
  readonly walkArr: Int32Array;
  private readonly rideTrip: Int32Array;
  private readonly rideDay: Int8Array;
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
  private readonly active: Uint8Array;
  private activeDay = Number.NaN;
  private target = -1;

  constructor(data: RaptorData, rounds = DEFAULT_MAX_ROUNDS) {
    this.data = data;
    this.rounds = rounds;
    const n = data.stopCount;
    this.n = n;
    this.serviceCount = data.service.words === 0 ? 0 : data.service.bits.length / data.service.words;
    const size = (rounds + 1) * n;
    this.rideArr = new Int32Array(size);
    this.walkArr = new Int32Array(size);
    this.rideTrip = new Int32Array(size);
    this.rideDay = new Int8Array(size);
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
    this.active = new Uint8Array(3 * this.serviceCount);
  }

  /** Forgets all labels; range queries skip this between departures on purpose. */
  reset(): void {
    this.rideArr.fill(UNREACHED);
    this.walkArr.fill(UNREACHED);
    this.bestRide.fill(UNREACHED);
    this.bestWalk.fill(UNREACHED);
    this.originTime.fill(UNREACHED);
  }

  private setDay(day: number): void {
    if (day === this.activeDay) return;
    const sd = this.data.service;
    const words = sd.words;
    for (let d = -1; d <= 1; d++) {
      const rel = day + d - sd.firstDay;
      const inRange = rel >= 0 && rel < sd.dayCount;
      for (let s = 0; s < this.serviceCount; s++) {
        this.active[(d + 1) * this.serviceCount + s] = inRange
          ? (sd.bits[s * words + (rel >> 5)] >>> (rel & 31)) & 1
          : 0;
      }
    }
    this.activeDay = day;
  }

  /** Runs one search; labels from earlier runs stay unless `reset()` was called. */
  run(query: RaptorQuery, target = -1): void {
    const d = this.data;
    const n = this.n;
    const rounds = Math.min(query.maxRounds ?? this.rounds, this.rounds);
    this.setDay(query.day);
    this.target = target;
    this.markedCount = 0;

    // Round 0: origins, then one footpath from each origin.
    const originList: number[] = [];
    for (const o of query.origins) {
      const t = query.departure + o.access;
      if (t < this.originTime[o.stop]) this.originTime[o.stop] = t;
      if (t < this.walkArr[o.stop]) {
        this.walkArr[o.stop] = t;
        this.walkFrom[o.stop] = -1;
        if (t < this.bestWalk[o.stop]) this.bestWalk[o.stop] = t;
        this.mark(o.stop);
      }
      originList.push(o.stop);
    }
    for (const s of originList) {
      const t0 = query.departure + accessOf(query.origins, s);
      for (let e = d.transferStart[s]; e < d.transferStart[s + 1]; e++) {
        const v = d.transferTo[e];
        const t = t0 + d.transferTime[e];
        if (t < this.walkArr[v] && t < this.bestWalk[v]) {
          this.walkArr[v] = t;
          this.walkFrom[v] = s;
          this.bestWalk[v] = t;
          this.mark(v);
        }
      }
    }

    for (let k = 1; k <= rounds && this.markedCount > 0; k++) {
      // Collect each pattern once, from its earliest marked position.
      let patternCount = 0;
      for (let m = 0; m < this.markedCount; m++) {
        const s = this.markedList[m];
        this.marked[s] = 0;
        for (let e = d.stopPatternStart[s]; e < d.stopPatternStart[s + 1]; e++) {
          const p = d.stopPatterns[e];
          const pos = d.stopPatternPos[e];
          if (this.patternFrom[p] === UNREACHED) this.patternList[patternCount++] = p;
          if (pos < this.patternFrom[p]) this.patternFrom[p] = pos;
        }
      }
      this.markedCount = 0;
      const prev = (k - 1) * n;
      const cur = k * n;
      for (let q = 0; q < patternCount; q++) {
        const p = this.patternList[q];
        const from = this.patternFrom[p];
        this.patternFrom[p] = UNREACHED;
        this.scanPattern(p, from, prev, cur);
      }
      // Footpaths from the stops reached by riding in this round; walking on from a walk is not allowed.
      const ridden = this.markedCount;
      for (let m = 0; m < ridden; m++) {
        const s = this.markedList[m];
        const arr = this.rideArr[cur + s];
        const bound = this.targetBound();
        // Footpaths are sorted by duration: once one reaches past the target's best, all the rest do.
        for (let e = d.transferStart[s]; e < d.transferStart[s + 1]; e++) {
          const t = arr + d.transferTime[e];
          if (t >= bound) break;
          const v = d.transferTo[e];
          if (t < this.bestWalk[v]) {
            this.walkArr[cur + v] = t;
            this.walkFrom[cur + v] = s;
            this.bestWalk[v] = t;
            this.mark(v);
          }
        }
      }
    }
    // Leave the marks clean for the next run.
    for (let m = 0; m < this.markedCount; m++) this.marked[this.markedList[m]] = 0;
    this.markedCount = 0;
  }

  private mark(s: number): void {
    if (this.marked[s] === 0) {
      this.marked[s] = 1;
      this.markedList[this.markedCount++] = s;
    }
  }

  private targetBound(): number {
    const t = this.target;
    if (t < 0) return UNREACHED;
    return Math.min(this.bestRide[t], this.bestWalk[t]);
  }

  private scanPattern(p: number, from: number, prev: number, cur: number): void {
    const d = this.data;
    const base = d.patternStopStart[p];
    const len = d.patternStopStart[p + 1] - base;
    let trip = -1;
    let shift = 0;
    let tripDay = 0;
    let boardPos = -1;
    let times = 0;
    for (let i = from; i < len; i++) {
      const s = d.patternStops[base + i];
      const flags = d.patternStopFlags[base + i];
      if (trip >= 0 && (flags & 2) === 0) {
        const arr = d.arrivals[times + i] + shift;
        if (arr < this.bestRide[s] && arr < this.targetBound()) {
          this.rideArr[cur + s] = arr;
          this.bestRide[s] = arr;
          this.rideTrip[cur + s] = trip;
          this.rideDay[cur + s] = tripDay;
          this.rideBoard[cur + s] = boardPos;
          this.rideAlight[cur + s] = i;
          this.mark(s);
        }
      }
      if ((flags & 1) !== 0) continue;
      const byRide = this.rideArr[prev + s];
      const byWalk = this.walkArr[prev + s];
      const ready = byRide === UNREACHED ? byWalk : Math.min(byRide + d.changeTime[s], byWalk);
      if (ready >= UNREACHED) continue;
      if (trip >= 0 && ready >= d.departures[times + i] + shift) continue;
      const found = this.earliestTrip(p, i, ready);
      if (found < 0) continue;
      const j = found >> 2;
      const day = (found & 3) - 1;
      const dep = d.departures[d.tripTimeStart[j] + i] + day * DAY;
      if (trip >= 0 && dep >= d.departures[times + i] + shift) continue;
      trip = j;
      tripDay = day;
      shift = day * DAY;
      times = d.tripTimeStart[j];
      boardPos = i;
    }
  }

  /** The trip of pattern p leaving position i first at or after `time`, as (trip << 2) | (dayOffset + 1); -1 if none. */
  private earliestTrip(p: number, i: number, time: number): number {
    const d = this.data;
    const first = d.patternTripStart[p];
    const last = d.patternTripStart[p + 1] - 1;
    let best = UNREACHED;
    let result = -1;
    for (let day = -1; day <= 1; day++) {
      const shift = day * DAY;
      // Every trip of this day leaves at or after the first one; nothing here can beat `best`.
      if (d.departures[d.tripTimeStart[first] + i] + shift >= best) break;
      const t = time - shift;
      if (d.departures[d.tripTimeStart[last] + i] < t) continue;
      let lo = first;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (d.departures[d.tripTimeStart[mid] + i] < t) lo = mid + 1;
        else hi = mid;
      }
      const activeBase = (day + 1) * this.serviceCount;
      for (let j = lo; j <= last; j++) {
        const dep = d.departures[d.tripTimeStart[j] + i] + shift;
        if (dep >= best) break;
        if (this.active[activeBase + d.tripService[j]] === 1) {
          best = dep;
          result = (j << 2) | (day + 1);
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
  for (let i = departures.length - 1; i >= 0; i--) {
    r.run(
      { origins: query.origins, day: query.day, departure: departures[i], maxRounds: query.maxRounds },
      -1,
    );
    const out = new Int32Array(data.stopCount);
    for (let s = 0; s < data.stopCount; s++) out[s] = r.arrivalAt(s);
    arrivals[i] = out;
  }
  return { departures, arrivals };
}
