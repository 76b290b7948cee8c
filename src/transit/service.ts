/**
 * The rail planner's use cases, in the words of its users: stops by name, journeys, departure
 * boards, city-to-city travel-time matrices, scenario comparison, and the day's figures. It
 * speaks feed ids, names, dates and times; it places stops in the region's cities; the
 * algorithms underneath speak indices and seconds.
 */
import type { FareEngine, FareLeg } from '../fares/index.ts';
import { isProblem, problem } from '../lib/errors.ts';
import { formatDate, localToUtc, parseDate, parseTime, utcToLocal } from '../lib/time.ts';
import type { Region } from '../region/index.ts';
import { dayStats, eventsAt, headways, routeDayStats, type StopEvent, typicalDay } from './analysis.ts';
import { assertCovered, coverageOf, isCovered } from './calendar.ts';
import type { FeedInfo, FeedRegistry } from './feeds.ts';
import type { ReadGtfsOptions } from './gtfs.ts';
import { type MatrixCell, travelTimeMatrix } from './matrix.ts';
import type {
  ArrivalBoard,
  Comparison,
  DepartureBoard,
  FeedSummary,
  ImportedFeed,
  Journey,
  JourneyFare,
  JourneyPlan,
  Place,
  RouteStats,
  Stop,
  TransitStats,
  TravelTimeMatrix,
  Window,
} from './model.ts';
import { instant, routeRef, searchJourneys, stopOf, zoneOf } from './planner.ts';
import { findStops, resolveStop } from './stops.ts';
import { distanceMetres, type Timetable } from './timetable.ts';

/** Getting across town to or from a station: detour over the straight line, and speed in m/s. */
const ACCESS_DETOUR = 1.2;
const ACCESS_SPEED = 30 / 3.6;

const WINDOW = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/;
const LOCAL_INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{1,2}:\d{2}(?::\d{2})?)$/;

export function parseWindow(text: string, field = 'window'): Window {
  const m = WINDOW.exec(text.trim());
  if (!m) throw problem('invalid-window', `${field}: "${text}" is not a window like 07:00-09:00`, field);
  const window = { from: m[1].padStart(5, '0'), to: m[2].padStart(5, '0') };
  if (parseTime(window.to, field) < parseTime(window.from, field)) {
    throw problem(
      'invalid-window',
      `${field}: the end ${window.to} is before the start ${window.from}`,
      field,
    );
  }
  return window;
}

/** `2026-12-01T08:00` on the feed's clock. */
export function parseLocalInstant(text: string, field = 'at'): { date: string; time: string } {
  const m = LOCAL_INSTANT.exec(text.trim());
  if (!m)
    throw problem(
      'invalid-instant',
      `${field}: "${text}" is not a local date and time like 2026-12-01T08:00`,
      field,
    );
  parseDate(m[1], field);
  parseTime(m[2], field);
  return { date: m[1], time: m[2] };
}

interface Loaded {
  info: FeedInfo;
  tt: Timetable;
  /** Index of each stop's place in `places`, or -1. */
  stopPlace: Int32Array;
}

/** Results that take a second or more are kept, keyed by their question. */
class Memo<T> {
  private readonly entries = new Map<string, T>();
  constructor(private readonly size: number) {}
  get(key: string, make: () => T): T {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = make();
    this.entries.set(key, value);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}

export class TransitService {
  readonly places: Place[];
  private readonly stopPlaces = new WeakMap<Timetable, Int32Array>();
  private readonly matrices = new Memo<{ cells: MatrixCell[]; departures: number }>(32);

  constructor(
    private readonly region: Region,
    private readonly feeds: FeedRegistry,
    /** The region's fares, asked for on first use (a pack may have none). */
    private readonly fares?: () => FareEngine,
  ) {
    this.places = [
      ...region.pack.cities.map((c) => ({ id: c.id, name: c.name, kind: 'city' as const })),
      ...region.pack.linkedPlaces.map((p) => ({ id: p.id, name: p.name, kind: 'linked' as const })),
    ];
  }

  private async load(feed: string | undefined, field = 'feed'): Promise<Loaded> {
    const { info, tt } = await this.feeds.open(feed, field);
    let stopPlace = this.stopPlaces.get(tt);
    if (!stopPlace) {
      stopPlace = new Int32Array(tt.stopCount);
      for (let s = 0; s < tt.stopCount; s++) {
        const where = this.region.locate(tt.stopLat[s], tt.stopLon[s]);
        const id = where.city?.id ?? where.linkedPlace?.id;
        stopPlace[s] = id ? this.places.findIndex((p) => p.id === id) : -1;
      }
      this.stopPlaces.set(tt, stopPlace);
    }
    return { info, tt, stopPlace };
  }

  /** The imported feeds skipped because their record is damaged, as the last listing found them. */
  damagedFeeds() {
    return this.feeds.damaged();
  }

  /** A GTFS zip or folder named by path, for the CLI (`--feed`, `--base`, `--with`): the id it can then be asked by. */
  registerFile(path: string, field: string): string {
    return this.feeds.registerFile(path, field);
  }

  /** Loads every feed now, so that the first request does not wait. */
  async warm(): Promise<void> {
    for (const f of this.feeds.list()) await this.load(f.id);
  }

  private stop({ tt, stopPlace }: Loaded, s: number): Stop {
    return { ...stopOf(tt, s), city: stopPlace[s] >= 0 ? this.places[stopPlace[s]].id : null };
  }

  /**
   * A date the feed covers: the one asked for, else today (in `zone`, the feed's by default) if covered,
   * else the feed's typical day.
   */
  private dateFor(tt: Timetable, date: string | undefined, field = 'date', zone = tt.timezone): number {
    if (date !== undefined) {
      const day = parseDate(date, field);
      assertCovered(tt.service, day, field);
      return day;
    }
    const today = utcToLocal(zone, Date.now()).day;
    return isCovered(tt.service, today) ? today : typicalDay(tt, today);
  }

  async listFeeds(): Promise<FeedSummary[]> {
    const out = [];
    for (const info of this.feeds.list()) {
      const { tt } = await this.load(info.id);
      const coverage = coverageOf(tt.service);
      out.push({
        id: info.id,
        name: info.name,
        source: info.source,
        default: info.default,
        hash: tt.hash,
        coverage: { start: coverage.start, end: coverage.end },
        typicalDate: formatDate(typicalDay(tt, utcToLocal(tt.timezone, Date.now()).day)),
        stops: tt.stopCount,
        routes: tt.routeIds.length,
        trips: tt.tripIds.length,
      });
    }
    return out;
  }

  async stops(feed: string | undefined, query?: string): Promise<Stop[]> {
    const loaded = await this.load(feed);
    if (query === undefined || query.trim() === '') {
      return Array.from({ length: loaded.tt.stopCount }, (_, s) => this.stop(loaded, s));
    }
    const matches = findStops(loaded.tt, query);
    // Near-misses help when nothing matches as typed, and only clutter the list when something does.
    const typed = matches.filter((m) => m.kind !== 'fuzzy');
    return (typed.length > 0 ? typed : matches).map((m) => this.stop(loaded, m.stop));
  }

  async route(q: {
    feed?: string;
    from: string;
    to: string;
    at: string;
    maxTransfers?: number;
    horizonDays?: number;
  }): Promise<JourneyPlan> {
    const loaded = await this.load(q.feed);
    const { date, time } = parseLocalInstant(q.at);
    const from = resolveStop(loaded.tt, q.from, 'from');
    const to = resolveStop(loaded.tt, q.to, 'to');
    if (from.stop === to.stop) throw problem('same-stop', `from and to are both ${from.name}`, 'to');
    const { journeys, searched } = searchJourneys(
      loaded.tt,
      { from: from.id, to: to.id, date, time, maxTransfers: q.maxTransfers, horizonDays: q.horizonDays },
      (s) => this.stop(loaded, s),
    );
    return {
      feed: loaded.info.id,
      from: this.stop(loaded, from.stop),
      to: this.stop(loaded, to.stop),
      at: `${date}T${time}`,
      searched,
      journeys: journeys.map((j) => ({ ...j, fare: this.fare(j) })),
    };
  }

  /**
   * What a journey costs on the region's card: its rides priced together (so transfer
   * discounts apply), walks free; null with the reason when a ride cannot be priced.
   */
  private fare(journey: Journey): JourneyFare {
    const none = (reason: string): JourneyFare => ({
      medium: null,
      currency: null,
      total: null,
      legs: journey.legs.map(() => null),
      reason,
    });
    if (!this.fares) return none('no fares are configured');
    try {
      const engine = this.fares();
      // The regional card, when the fares have one medium; else the single-ticket price.
      const media = engine.fareMedia();
      const medium = media.length === 1 ? media[0] : null;
      const rides: { index: number; leg: FareLeg }[] = [];
      journey.legs.forEach((leg, index) => {
        if (leg.kind !== 'ride') return;
        const operator = engine.operatorOfRoute(leg.route.id);
        if (!operator)
          throw problem('no-fare', `the fares do not price route ${leg.route.id} (${leg.route.shortName})`);
        rides.push({
          index,
          leg: {
            operator,
            route: leg.route.id,
            from: leg.from.id,
            to: leg.to.id,
            start: leg.departure.utc,
            end: leg.arrival.utc,
          },
        });
      });
      const quote = engine.quote(
        rides.map((r) => r.leg),
        medium ? { fareMedium: medium } : {},
      );
      const legs: (number | null)[] = journey.legs.map(() => null);
      quote.legs.forEach((l) => {
        legs[rides[l.leg].index] = l.amount;
      });
      return { medium, currency: quote.currency, total: quote.total, legs, reason: null };
    } catch (error) {
      if (isProblem(error)) return none(error.message);
      throw error;
    }
  }

  /**
   * A station's events in a window of its own clocks (its stop_timezone), from any service day: the date
   * and times asked for are what a person standing there reads.
   */
  private async board(
    q: { feed?: string; stop: string; date?: string; from?: string; to?: string },
    kind: 'departure' | 'arrival',
  ) {
    const loaded = await this.load(q.feed);
    const { tt } = loaded;
    const stop = resolveStop(tt, q.stop, 'stop');
    const zone = zoneOf(tt, stop.stop);
    const day = this.dateFor(tt, q.date, 'date', zone);
    const from = q.from ?? '00:00';
    const to = q.to ?? '24:00';
    const start = parseTime(from, 'from');
    const end = parseTime(to, 'to');
    if (end < start) throw problem('invalid-window', `to: the end ${to} is before the start ${from}`, 'to');
    const span = { from: localToUtc(zone, day, start), to: localToUtc(zone, day, end) };
    const events = eventsAt(tt, stop.stops, span, kind);
    const entry = (e: StopEvent) => ({
      at: instant(tt, e.serviceDay, e.time, e.stop),
      route: routeRef(tt, e.route),
      trip: { id: tt.tripIds[e.trip], headsign: tt.tripHeadsigns[e.trip] },
    });
    return {
      feed: loaded.info.id,
      stop: this.stop(loaded, stop.stop),
      zone,
      date: formatDate(day),
      from,
      to,
      events,
      entry,
      // Edges count only in a window the caller chose; over the whole day they would measure the night.
      headways: headways(
        events.map((e) => Math.round(e.utc / 1000)),
        q.from !== undefined || q.to !== undefined
          ? { from: span.from / 1000, to: span.to / 1000 }
          : undefined,
      ),
      describe: (s: number) => this.stop(loaded, s),
    };
  }

  async departures(q: {
    feed?: string;
    stop: string;
    date?: string;
    from?: string;
    to?: string;
  }): Promise<DepartureBoard> {
    const { events, entry, describe, ...board } = await this.board(q, 'departure');
    return {
      ...board,
      departures: events.map((e) => ({ ...entry(e), destination: describe(e.end) })),
    };
  }

  /** The arrivals board: the same question as departures, trains coming in, with where they came from. */
  async arrivals(q: {
    feed?: string;
    stop: string;
    date?: string;
    from?: string;
    to?: string;
  }): Promise<ArrivalBoard> {
    const { events, entry, describe, ...board } = await this.board(q, 'arrival');
    return {
      ...board,
      arrivals: events.map((e) => ({ ...entry(e), origin: describe(e.end) })),
    };
  }

  /**
   * Each route's service date: trips, calls at stops, first and last departure. Those two are shown on
   * the clocks of the stop the trip leaves from (its stop_timezone), which the instant names.
   */
  async routes(q: { feed?: string; date?: string }): Promise<RouteStats> {
    const loaded = await this.load(q.feed);
    const { tt } = loaded;
    const day = this.dateFor(tt, q.date);
    const at = (e: { stop: number; time: number } | null) =>
      e === null ? null : { at: instant(tt, day, e.time, e.stop), stop: this.stop(loaded, e.stop) };
    return {
      feed: loaded.info.id,
      date: formatDate(day),
      routes: routeDayStats(tt, day).map((r) => ({
        route: routeRef(tt, r.route),
        trips: r.trips,
        stopEvents: r.stopEvents,
        firstDeparture: at(r.first),
        lastDeparture: at(r.last),
      })),
    };
  }

  /**
   * Each place is a zone entered at its centre: a station's access time is the straight-line
   * distance from the centre, made 1.2 times longer by the street network, at 30 km/h (metro,
   * bus or taxi across town). So a city is not reached the moment a train enters its border.
   */
  private zones({ tt, stopPlace }: Loaded) {
    const centres = [...this.region.pack.cities, ...this.region.pack.linkedPlaces].map((p) => p.centroid);
    return this.places.map((_, i) => {
      const stops = [...stopPlace.entries()].filter(([, place]) => place === i).map(([s]) => s);
      const [lon, lat] = centres[i];
      const access = stops.map((s) =>
        Math.round((distanceMetres(lat, lon, tt.stopLat[s], tt.stopLon[s]) * ACCESS_DETOUR) / ACCESS_SPEED),
      );
      return { id: this.places[i].id, stops, access };
    });
  }

  /** `fields` name the parameters in errors, for callers (compare) that call them otherwise. */
  async matrix(
    q: {
      feed?: string;
      date?: string;
      window?: string;
      onProgress?: (done: number, total: number) => void;
    },
    fields = { feed: 'feed', date: 'date' },
  ): Promise<TravelTimeMatrix> {
    const loaded = await this.load(q.feed, fields.feed);
    const day = this.dateFor(loaded.tt, q.date, fields.date);
    const window = parseWindow(q.window ?? '07:00-09:00');
    const date = formatDate(day);
    const zones = this.zones(loaded);
    const matrix = this.matrices.get(`${loaded.tt.hash}|${date}|${window.from}|${window.to}`, () =>
      travelTimeMatrix(loaded.tt, {
        date,
        from: window.from,
        to: window.to,
        zones,
        onProgress: q.onProgress,
      }),
    );
    const served = new Set(zones.filter((z) => z.stops.length > 0).map((z) => z.id));
    return {
      feed: loaded.info.id,
      date,
      window,
      places: this.places.filter((p) => served.has(p.id)),
      departures: matrix.departures,
      cells: matrix.cells,
    };
  }

  /**
   * Median travel time per pair of places in two feeds, each on its own date (by default its
   * typical day), and the change. The average is over the pairs reachable in both. With `from`
   * and `to` (stations, by name or id), the one station pair instead.
   */
  async compare(q: {
    base: string;
    with: string;
    window?: string;
    baseDate?: string;
    withDate?: string;
    from?: string;
    to?: string;
  }): Promise<Comparison> {
    if ((q.from === undefined) !== (q.to === undefined)) {
      throw problem(
        'invalid-pair',
        'give both from and to, or neither',
        q.from === undefined ? 'from' : 'to',
      );
    }
    // Each feed on its typical day unless told otherwise: comparing a Sunday with a Tuesday would mislead.
    const side = async (feed: string, date: string | undefined, fields: { feed: string; date: string }) => {
      const { tt } = await this.load(feed, fields.feed);
      const day = date ?? formatDate(typicalDay(tt, utcToLocal(tt.timezone, Date.now()).day));
      return q.from !== undefined
        ? this.stationPair(feed, day, q.window, q.from, q.to!, fields)
        : this.matrix({ feed, date: day, window: q.window }, fields);
    };
    const base = await side(q.base, q.baseDate, { feed: 'base', date: 'baseDate' });
    const other = await side(q.with, q.withDate, { feed: 'with', date: 'withDate' });
    const key = (c: { from: string; to: string }) => `${c.from}>${c.to}`;
    const withCells = new Map(other.cells.map((c) => [key(c), c]));
    const round = (x: number) => Math.round(x * 10) / 10;
    const pairs = base.cells
      .map((c) => {
        const b = c.median;
        const w = withCells.get(key(c))?.median ?? null;
        return {
          from: c.from,
          to: c.to,
          base: b,
          with: w,
          changeMinutes: b !== null && w !== null ? round(w - b) : null,
          changePercent: b !== null && w !== null && b > 0 ? round(((w - b) / b) * 100) : null,
        };
      })
      .sort((x, y) => (x.changeMinutes ?? 0) - (y.changeMinutes ?? 0));
    const both = pairs.filter((p) => p.base !== null && p.with !== null);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    const avgBase = mean(both.map((p) => p.base!));
    const avgWith = mean(both.map((p) => p.with!));
    const places = new Map([...base.places, ...other.places].map((p) => [p.id, p]));
    return {
      base: { feed: base.feed, date: base.date },
      with: { feed: other.feed, date: other.date },
      window: base.window,
      places: [...places.values()],
      pairs,
      average: {
        base: round(avgBase),
        with: round(avgWith),
        changeMinutes: round(avgWith - avgBase),
        changePercent: avgBase > 0 ? round(((avgWith - avgBase) / avgBase) * 100) : 0,
        pairs: both.length,
      },
      onlyInWith: pairs.filter((p) => p.base === null && p.with !== null).length,
    };
  }

  /** Station-to-station travel times over a window, shaped like a one-cell matrix. */
  private async stationPair(
    feed: string,
    date: string | undefined,
    window: string | undefined,
    from: string,
    to: string,
    fields: { feed: string; date: string },
  ) {
    const loaded = await this.load(feed, fields.feed);
    const day = this.dateFor(loaded.tt, date, fields.date);
    const w = parseWindow(window ?? '07:00-09:00');
    const a = resolveStop(loaded.tt, from, 'from');
    const b = resolveStop(loaded.tt, to, 'to');
    const matrix = travelTimeMatrix(loaded.tt, {
      date: formatDate(day),
      from: w.from,
      to: w.to,
      zones: [
        { id: a.id, stops: a.stops },
        { id: b.id, stops: b.stops },
      ],
    });
    const place = (m: typeof a) => {
      const { names } = this.stop(loaded, m.stop);
      const name = Object.keys(names).length > 0 ? names : { [loaded.tt.lang || 'und']: m.name };
      return { id: m.id, name, kind: 'station' as const };
    };
    return {
      feed: loaded.info.id,
      date: formatDate(day),
      window: w,
      places: [place(a), place(b)],
      cells: matrix.cells.filter((c) => c.from === a.id),
    };
  }

  async stats(q: { feed?: string; date?: string; window?: string; top?: number }): Promise<TransitStats> {
    const loaded = await this.load(q.feed);
    const { tt } = loaded;
    const day = this.dateFor(tt, q.date);
    const window = parseWindow(q.window ?? '07:00-09:00');
    const stats = dayStats(tt, day);
    const top = stats.busiest.slice(0, q.top ?? 10);
    const start = parseTime(window.from);
    const end = parseTime(window.to);
    return {
      feed: loaded.info.id,
      date: stats.date,
      lines: stats.lines,
      dailyDepartures: stats.dailyDepartures,
      stations: stats.stations,
      busiestStations: top.map((b) => ({ stop: this.stop(loaded, b.stop), departures: b.departures })),
      peakHeadways: top.slice(0, 5).map((b) => {
        // The peak on the station's own clocks.
        const zone = zoneOf(tt, b.stop);
        const span = { from: localToUtc(zone, day, start), to: localToUtc(zone, day, end) };
        const h = headways(
          eventsAt(tt, [b.stop], span, 'departure').map((d) => Math.round(d.utc / 1000)),
          { from: span.from / 1000, to: span.to / 1000 },
        );
        return {
          stop: this.stop(loaded, b.stop),
          window,
          departures: h?.departures ?? 0,
          maxMinutes: h?.maxMinutes ?? null,
          medianMinutes: h?.medianMinutes ?? null,
        };
      }),
    };
  }

  async importFeed(source: string, id: string, options?: ReadGtfsOptions): Promise<ImportedFeed> {
    const { info, tt } = await this.feeds.import(source, id, options);
    const coverage = coverageOf(tt.service);
    return {
      id: info.id,
      path: info.path,
      hash: tt.hash,
      coverage: { start: coverage.start, end: coverage.end },
      stops: tt.stopCount,
      routes: tt.routeIds.length,
      trips: tt.tripIds.length,
      patterns: tt.patternCount,
    };
  }
}
