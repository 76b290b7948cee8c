/**
 * From a card's taps to the legs it rode, and from legs to what each service day owes each
 * operator. Pure: the same taps give the same legs and the same charges, whatever order they
 * arrived in, which is what lets a late tap re-rate its week and post only the difference.
 */
import type { FareEngine, FareLeg, Quote, QuoteOptions } from '../fares/index.ts';
import { isProblem } from '../lib/errors.ts';
import { localToUtc, serviceDayOf, weekday } from '../lib/time.ts';
import type { TapKind, TripLeg } from './model.ts';

/** A tap as rating needs it: times in epoch milliseconds. */
export interface StoredTap {
  id: string;
  operator: string;
  kind: TapKind;
  stop: string;
  route: string | null;
  atMs: number;
}

/** Longest a gated journey may take: an entry with no exit within it is charged as unfinished (TfL's rule too). */
export const MAX_JOURNEY_MS = 5 * 3600 * 1000;

export interface Leg {
  operator: string;
  from: string;
  to: string | null;
  route: string | null;
  startMs: number;
  endMs: number | null;
  status: TripLeg['status'];
  /** The entry tap, for its hold. */
  entryTap: string | null;
}

const byTime = (a: StoredTap, b: StoredTap) => a.atMs - b.atMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Pairs entries with exits. An exit pairs with the card's open entry on the same operator within
 * MAX_JOURNEY_MS; an entry followed by anything else (or by nothing, once MAX_JOURNEY_MS has
 * passed by `nowMs`) is `no-exit`; an exit with no entry is `no-entry`. An entry still within its
 * time is `open`: not charged yet, its maximum fare held.
 */
export function buildLegs(taps: readonly StoredTap[], nowMs: number): Leg[] {
  const legs: Leg[] = [];
  let open: StoredTap | null = null;
  /** A leg of one tap: from its stop, to nowhere known. */
  const oneTap = (tap: StoredTap, status: Leg['status'], endMs: number | null): Leg => ({
    operator: tap.operator,
    from: tap.stop,
    to: null,
    route: tap.route,
    startMs: tap.atMs,
    endMs,
    status,
    entryTap: tap.kind === 'entry' ? tap.id : null,
  });
  for (const tap of [...taps].sort(byTime)) {
    if (
      tap.kind === 'exit' &&
      open &&
      open.operator === tap.operator &&
      tap.atMs - open.atMs <= MAX_JOURNEY_MS
    ) {
      legs.push({
        operator: tap.operator,
        from: open.stop,
        to: tap.stop,
        route: open.route ?? tap.route,
        startMs: open.atMs,
        endMs: tap.atMs,
        status: 'complete',
        entryTap: open.id,
      });
      open = null;
      continue;
    }
    if (open) legs.push(oneTap(open, 'no-exit', null));
    open = null;
    if (tap.kind === 'entry') open = tap;
    else if (tap.kind === 'exit') legs.push(oneTap(tap, 'no-entry', tap.atMs));
    else legs.push(oneTap(tap, 'complete', null));
  }
  if (open) legs.push(oneTap(open, nowMs - open.atMs > MAX_JOURNEY_MS ? 'no-exit' : 'open', null));
  return legs;
}

/** Service days and weeks in the region's time zone, starting at the fare rules' day start. */
export class ServiceCalendar {
  constructor(
    private readonly zone: string,
    /** Seconds past local midnight at which a service day starts. */
    readonly dayStartSeconds: number,
  ) {}

  /** The service day (a day number) an instant belongs to. */
  day(epochMs: number): number {
    return serviceDayOf(this.zone, this.dayStartSeconds, epochMs);
  }

  /** The Monday of the service week an instant belongs to. */
  week(epochMs: number): number {
    const day = this.day(epochMs);
    return day - weekday(day);
  }

  /** The instant a service day begins. */
  startMs(day: number): number {
    return localToUtc(this.zone, day, this.dayStartSeconds);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

export function fareLeg(leg: Leg): FareLeg {
  return {
    operator: leg.operator,
    ...(leg.route ? { route: leg.route } : {}),
    from: leg.from,
    to: leg.to,
    start: iso(leg.startMs),
    ...(leg.endMs !== null ? { end: iso(leg.endMs) } : {}),
  };
}

export interface Rated {
  legs: Leg[];
  /** Per leg (same order), its quote; open legs are not charged. */
  fares: { single: number; fare: number; rules: string[] }[];
  /** Fen owed per `${serviceDay}|${operator}`. */
  owed: Map<string, number>;
  quote: Quote | null;
}

/** Prices a service week's legs in one quote, so that transfers and the daily and weekly caps see the whole week. */
export function rateWeek(
  legs: readonly Leg[],
  engine: FareEngine,
  calendar: ServiceCalendar,
  options: QuoteOptions,
): Rated {
  const charged = legs.map((l, i) => ({ l, i })).filter(({ l }) => l.status !== 'open');
  const asked = charged.map(({ l }) => fareLeg(l));
  const unpriced = new Set<number>();
  let quote: Quote | null = null;
  // A leg between two stops the rules give no fare for (an exit at a station no rule joins to the
  // entry) is charged as unfinished, the maximum fare from its entry, which every accepted tap
  // has: a week must never fail to price, or its batches could never be taken.
  while (asked.length > 0 && quote === null) {
    try {
      quote = engine.quote(asked, options);
    } catch (error) {
      const k =
        isProblem(error) && error.code === 'no-fare'
          ? Number(/^legs\[(\d+)\]/.exec(error.field ?? '')?.[1])
          : Number.NaN;
      if (!Number.isInteger(k) || asked[k].to === null || asked[k].to === undefined) throw error;
      asked[k] = { ...asked[k], to: null };
      unpriced.add(k);
    }
  }
  const fares = legs.map(() => ({ single: 0, fare: 0, rules: [] as string[] }));
  const owed = new Map<string, number>();
  charged.forEach(({ l, i }, k) => {
    const priced = quote!.legs[k];
    const rules = unpriced.has(k)
      ? [`no fare rule from ${l.from} to ${l.to}: charged as unfinished`, ...priced.rules]
      : priced.rules;
    fares[i] = { single: priced.single, fare: priced.amount, rules };
    const key = `${calendar.day(l.startMs)}|${l.operator}`;
    owed.set(key, (owed.get(key) ?? 0) + priced.amount);
  });
  return { legs: [...legs], fares, owed, quote };
}
