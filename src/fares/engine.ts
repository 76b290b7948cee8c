/**
 * The fare engine: prices a list of legs under a fare feed, following the GTFS-Fares v2
 * reference (leg rules with their empty-field defaults or rule_priority, areas with parent
 * stations, timeframes in local time, join rules, transfer rules with leg groups, counts,
 * duration limits and the three transfer types, rider categories and fare media) and
 * Tongcheng's extension (distance bands over a station graph, daily and weekly caps after
 * transfers). Pure and synchronous: no I/O once the feed is read. Where the reference leaves a
 * choice open, the choice is stated where it is made and in docs/fares.md.
 */
import { problem } from '../lib/errors.ts';
import { formatTime, serviceDayOf, utcToLocal, weekday } from '../lib/time.ts';
import type { Cap, FareFeed, LegRule, TransferRule } from './feed.ts';
import type { FareLeg, LegFare, Quote, QuoteOptions } from './model.ts';

/** A leg as the engine prices it: ids checked, times as epoch ms, areas resolved. */
interface Leg {
  /** Indexes of the request's legs this fare leg covers (more than one when joined). */
  covers: number[];
  operator: string;
  network: string | null;
  from: string;
  to: string | null;
  start: number;
  end: number;
}

interface Priced {
  amount: number;
  product: string;
  group: string | null;
  rules: string[];
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export class FareEngine {
  readonly feed: FareFeed;
  private readonly rulesByNetwork = new Map<string | null, LegRule[]>();
  private readonly distances = new Map<string, Map<string, number>>();
  private readonly stopsByOperator = new Map<string, string[]>();
  /**
   * Single fares by leg (operator, network, stops, rider): a feed without timeframes prices a
   * leg the same at any time, and the card re-rates whole days at every tap.
   */
  private readonly singles = new Map<string, Priced | undefined>();
  private readonly timeless: boolean;

  constructor(feed: FareFeed) {
    this.feed = feed;
    this.timeless = feed.timeframes.size === 0;
    for (const rule of feed.legRules) {
      if (!this.rulesByNetwork.has(rule.network)) this.rulesByNetwork.set(rule.network, []);
      this.rulesByNetwork.get(rule.network)!.push(rule);
    }
    for (const stop of feed.stops.values()) {
      for (const operator of stop.operators) {
        if (!this.stopsByOperator.has(operator)) this.stopsByOperator.set(operator, []);
        this.stopsByOperator.get(operator)!.push(stop.id);
      }
    }
  }

  riderCategories(): string[] {
    return [...this.feed.categories.keys()];
  }

  fareMedia(): string[] {
    return [...this.feed.media.keys()];
  }

  /** The agency that runs a route of the feed: who carried a leg known only by its route. */
  operatorOfRoute(route: string): string | undefined {
    return this.feed.routes.get(route)?.agency;
  }

  serviceDayStart(): string {
    return formatTime(this.feed.dayStart).slice(0, 5);
  }

  hasStop(operator: string, stopId: string): boolean {
    return this.feed.stops.get(stopId)?.operators.has(operator) ?? false;
  }

  /** The most a leg from `from` can cost (what a tap-in holds); at `at` (ISO), or now. */
  maxFare(operator: string, from: string, options: QuoteOptions = {}, at?: string): number {
    const start = at ?? new Date().toISOString();
    return this.quote([{ operator, from, to: null, start }], options).legs[0].single;
  }

  quote(legs: readonly FareLeg[], options: QuoteOptions = {}): Quote {
    const category = this.category(options);
    const medium = options.fareMedium ?? null;
    if (medium !== null && !this.feed.media.has(medium)) {
      throw problem('unknown-fare-medium', `the fare feed has no fare medium "${medium}"`, 'fareMedium');
    }
    const resolved = legs.map((leg, i) => this.resolve(leg, i));
    for (let i = 1; i < resolved.length; i++) {
      if (resolved[i].start < resolved[i - 1].start) {
        throw problem(
          'fare-leg-invalid',
          `leg ${i} starts before leg ${i - 1}: legs go in time order`,
          `legs[${i}].start`,
        );
      }
    }
    const fareLegs = this.join(resolved);
    const priced = fareLegs.map((leg) => this.price(leg, category, medium));
    const charges = this.transfers(fareLegs, priced, category, medium);
    const uncapped = charges.reduce((s, c) => s + c, 0);
    this.applyCaps(fareLegs, charges, priced, category, medium);

    const out: LegFare[] = [];
    fareLegs.forEach((leg, k) => {
      leg.covers.forEach((index, j) => {
        const first = j === 0;
        out.push({
          leg: index,
          amount: first ? charges[k] : 0,
          single: first ? priced[k].amount : 0,
          product: priced[k].product,
          rules: first
            ? priced[k].rules
            : [`joined to leg ${leg.covers[0]} into one fare leg (fare_leg_join_rules.txt)`],
        });
      });
    });
    return { currency: this.feed.currency, total: charges.reduce((s, c) => s + c, 0), uncapped, legs: out };
  }

  // ---- legs in ----

  private category(options: QuoteOptions): string | null {
    const { categories, defaultCategory } = this.feed;
    if (options.riderCategory === undefined) return defaultCategory;
    if (!categories.has(options.riderCategory)) {
      throw problem(
        'unknown-rider-category',
        `the fare feed has no rider category "${options.riderCategory}" (it has: ${[...categories.keys()].join(', ') || 'none'})`,
        'riderCategory',
      );
    }
    return options.riderCategory;
  }

  private instant(text: string, field: string): number {
    const ms = ISO_INSTANT.test(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(ms)) {
      throw problem(
        'fare-leg-invalid',
        `${field}: "${text}" is not an ISO instant with an offset or Z`,
        field,
      );
    }
    return ms;
  }

  private resolve(leg: FareLeg, i: number): Leg {
    const { agencies, routes, stops, networks, agencyNetworks } = this.feed;
    const at = (field: string) => `legs[${i}].${field}`;
    if (!agencies.has(leg.operator)) {
      throw problem('fare-leg-unknown', `the fare feed has no operator "${leg.operator}"`, at('operator'));
    }
    for (const field of ['from', 'to'] as const) {
      const id = leg[field];
      if (id !== undefined && id !== null && !stops.get(id)?.operators.has(leg.operator)) {
        throw problem(
          'fare-leg-unknown',
          `operator "${leg.operator}" has no stop "${id}" in the fare feed`,
          at(field),
        );
      }
    }
    let network: string | null = null;
    if (leg.route !== undefined) {
      const route = routes.get(leg.route);
      if (!route || route.agency !== leg.operator) {
        throw problem(
          'fare-leg-unknown',
          `operator "${leg.operator}" has no route "${leg.route}"`,
          at('route'),
        );
      }
      network = route.network;
    }
    if (leg.network !== undefined) {
      if (!networks.has(leg.network)) {
        throw problem('fare-leg-unknown', `the fare feed has no network "${leg.network}"`, at('network'));
      }
      network = leg.network;
    }
    const own = agencyNetworks.get(leg.operator)!;
    if (network === null)
      network = own.size === 1 ? [...own][0] : (this.feed.tapNetworks.get(leg.operator) ?? null);
    const start = this.instant(leg.start, at('start'));
    const end = leg.end === undefined ? start : this.instant(leg.end, at('end'));
    if (end < start) throw problem('fare-leg-invalid', `leg ${i} ends before it starts`, at('end'));
    return { covers: [i], operator: leg.operator, network, from: leg.from, to: leg.to ?? null, start, end };
  }

  /** A stop and its parent station: what a join rule's stop or a graph's station may name. */
  private isAt(stop: string | null, id: string): boolean {
    return stop !== null && (stop === id || this.feed.stops.get(stop)?.parent === id);
  }

  /** fare_leg_join_rules: consecutive legs a rule joins become one effective fare leg. */
  private join(legs: Leg[]): Leg[] {
    const out: Leg[] = [];
    for (const leg of legs) {
      const prev = out.at(-1);
      const joins =
        prev !== undefined &&
        prev.network !== null &&
        leg.network !== null &&
        this.feed.joinRules.some(
          (r) =>
            r.fromNetwork === prev.network &&
            r.toNetwork === leg.network &&
            (r.fromStop === null || this.isAt(prev.to, r.fromStop)) &&
            (r.toStop === null || this.isAt(leg.from, r.toStop)),
        );
      if (prev && joins) {
        out[out.length - 1] = { ...prev, covers: [...prev.covers, ...leg.covers], to: leg.to, end: leg.end };
      } else out.push({ ...leg, covers: [...leg.covers] });
    }
    return out;
  }

  // ---- one leg's fare ----

  /**
   * A stop's areas: those stop_areas gives it, else its parent station's (the reference: a
   * station's area holds its platforms unless they are assigned elsewhere).
   */
  private areasOf(stop: string | null): Set<string> {
    if (stop === null) return new Set();
    const own = this.feed.stopAreas.get(stop);
    if (own) return own;
    const parent = this.feed.stops.get(stop)?.parent;
    return (parent && this.feed.stopAreas.get(parent)) || new Set();
  }

  private zoneOf(stop: string): string {
    return this.feed.stops.get(stop)?.timezone ?? this.feed.timezone;
  }

  private serviceActive(id: string, day: number): boolean {
    const s = this.feed.services.get(id)!;
    if (s.removed.has(day)) return false;
    if (s.added.has(day)) return true;
    return day >= s.start && day <= s.end && (s.weekdays & (1 << weekday(day))) !== 0;
  }

  /** The reference's timeframe semantics: the local date and time-of-day at the stop. */
  private inTimeframe(group: string, ms: number, stop: string): boolean {
    const { day, seconds } = utcToLocal(this.zoneOf(stop), ms);
    return this.feed.timeframes
      .get(group)!
      .some((t) => seconds >= t.start && seconds < t.end && this.serviceActive(t.service, day));
  }

  /** Shortest distance in km over the network's station graph; undefined when not connected. */
  private distance(network: string | null, from: string, to: string): number | undefined {
    const graph = this.feed.edges.get(network ?? '');
    if (!graph) return undefined;
    const node = (stop: string) => (graph.has(stop) ? stop : (this.feed.stops.get(stop)?.parent ?? stop));
    const a = node(from);
    const b = node(to);
    if (!graph.has(a) || !graph.has(b)) return undefined;
    const key = `${network ?? ''}\u0000${a}`;
    let dist = this.distances.get(key);
    if (!dist) {
      dist = dijkstra(graph, a);
      this.distances.set(key, dist);
    }
    const d = dist.get(b);
    // Rounded to metres, so that a band edge (6 km) is not missed by a float's last bit.
    return d === undefined ? undefined : Math.round(d * 1000) / 1000;
  }

  private matchRules(leg: Leg): LegRule[] {
    const { feed } = this;
    const fromAreas = this.areasOf(leg.from);
    const toAreas = this.areasOf(leg.to);
    let km: number | undefined | null = null; // null: not yet computed
    const distanceOk = (r: LegRule) => {
      if (r.minKm === null || r.maxKm === null) return true;
      if (leg.to === null) return false;
      if (km === null) km = this.distance(leg.network, leg.from, leg.to);
      // An exit at the entry station (0 km) pays the first band, as Shanghai's and the other metros' rules say.
      return km !== undefined && (km > r.minKm || (km === 0 && r.minKm === 0)) && km <= r.maxKm;
    };
    const timeOk = (r: LegRule) =>
      (r.fromTimeframe === null || this.inTimeframe(r.fromTimeframe, leg.start, leg.from)) &&
      (r.toTimeframe === null || this.inTimeframe(r.toTimeframe, leg.end, leg.to ?? leg.from));

    if (feed.prioritised) {
      // With rule_priority, an empty field does not affect matching; the highest priority wins.
      const matched = feed.legRules.filter(
        (r) =>
          (r.network === null || r.network === leg.network) &&
          (r.fromArea === null || fromAreas.has(r.fromArea)) &&
          (r.toArea === null || toAreas.has(r.toArea)) &&
          timeOk(r) &&
          distanceOk(r),
      );
      const top = Math.max(...matched.map((r) => r.priority));
      return matched.filter((r) => r.priority === top);
    }
    // Without it, an empty field matches only a value no rule names: the exact match first,
    // else the empty entries, field by field among the rules still in play.
    let pool =
      (leg.network !== null && this.rulesByNetwork.get(leg.network)) || this.rulesByNetwork.get(null) || [];
    const narrow = (field: 'fromArea' | 'toArea', areas: Set<string>) => {
      const exact = pool.filter((r) => r[field] !== null && areas.has(r[field]));
      pool = exact.length > 0 ? exact : pool.filter((r) => r[field] === null);
    };
    narrow('fromArea', fromAreas);
    narrow('toArea', toAreas);
    return pool.filter((r) => timeOk(r) && distanceOk(r));
  }

  /**
   * The amount of a product for the rider: among the rows of their medium (else those of
   * unknown medium), the row of their category, else one for any category, else the default
   * category's. The cheapest such row; undefined when none.
   */
  productAmount(id: string, category: string | null, medium: string | null): number | undefined {
    const rows = this.feed.products.get(id);
    if (!rows) return undefined;
    const { defaultCategory } = this.feed;
    const select = (list: typeof rows) => {
      let found = list.filter((r) => r.category === category);
      if (found.length === 0) found = list.filter((r) => r.category === null);
      if (found.length === 0 && category !== defaultCategory)
        found = list.filter((r) => r.category === defaultCategory);
      return found;
    };
    let candidates = medium === null ? [] : select(rows.filter((r) => r.medium === medium));
    if (candidates.length === 0) candidates = select(rows.filter((r) => r.medium === null));
    // No medium named: a product sold only on some medium still prices the leg.
    if (candidates.length === 0 && medium === null) candidates = select(rows);
    if (candidates.length === 0) return undefined;
    return Math.min(...candidates.map((r) => r.amount));
  }

  private money(amount: number): string {
    const { digits, currency } = this.feed;
    const sign = amount < 0 ? '-' : '';
    const text = String(Math.abs(amount)).padStart(digits + 1, '0');
    const units = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
    return `${sign}${units} ${currency}`;
  }

  /** The leg's own fare: the cheapest product of the matching rules; with no tap-out, the dearest destination. */
  private price(leg: Leg, category: string | null, medium: string | null): Priced {
    if (!this.timeless) return this.priceUncached(leg, category, medium);
    const key = [leg.operator, leg.network, leg.from, leg.to, category, medium].join('\u0000');
    let priced = this.singles.get(key);
    if (!priced) {
      priced = this.priceUncached(leg, category, medium);
      if (this.singles.size > 100_000) this.singles.clear();
      this.singles.set(key, priced);
    }
    // Transfers and caps add their explanations to the copy.
    return { ...priced, rules: [...priced.rules] };
  }

  private priceUncached(leg: Leg, category: string | null, medium: string | null): Priced {
    if (leg.to === null) return this.priceMissingTapOut(leg, category, medium);
    const priced = this.priceTo(leg, category, medium);
    if (!priced) {
      throw problem(
        'no-fare',
        `no fare rule of the feed prices leg ${leg.covers[0]} (${leg.operator} from ${leg.from} to ${leg.to}, network ${leg.network ?? 'none'})`,
        `legs[${leg.covers[0]}]`,
      );
    }
    return priced;
  }

  private priceTo(leg: Leg, category: string | null, medium: string | null): Priced | undefined {
    let best: Priced | undefined;
    for (const rule of this.matchRules(leg)) {
      const amount = this.productAmount(rule.product, category, medium);
      if (amount === undefined || (best && amount >= best.amount)) continue;
      const parts = [
        rule.network && `network ${rule.network}`,
        rule.fromArea && `from area ${rule.fromArea}`,
        rule.toArea && `to area ${rule.toArea}`,
        rule.fromTimeframe && `starting in ${rule.fromTimeframe}`,
        rule.toTimeframe && `ending in ${rule.toTimeframe}`,
        rule.minKm !== null &&
          leg.to !== null &&
          `${this.distance(leg.network, leg.from, leg.to)} km in (${rule.minKm}, ${rule.maxKm}] km`,
        rule.group && `leg group ${rule.group}`,
      ].filter(Boolean);
      best = {
        amount,
        product: rule.product,
        group: rule.group,
        rules: [
          `${rule.where}${parts.length ? ` (${parts.join(', ')})` : ''}: ${rule.product} ${this.money(amount)}${category ? ` for ${category}` : ''}${medium ? ` on ${medium}` : ''}`,
        ],
      };
    }
    return best;
  }

  private priceMissingTapOut(leg: Leg, category: string | null, medium: string | null): Priced {
    let best: Priced | undefined;
    let where = '';
    const candidates = this.stopsByOperator.get(leg.operator) ?? [];
    for (const to of candidates.length > 1 ? candidates : [leg.from]) {
      if (to === leg.from && candidates.length > 1) continue;
      const p = this.priceTo({ ...leg, to }, category, medium);
      if (p && (!best || p.amount > best.amount)) {
        best = p;
        where = to;
      }
    }
    if (!best) {
      throw problem(
        'no-fare',
        `no fare rule of the feed prices any leg of ${leg.operator} from ${leg.from}`,
        `legs[${leg.covers[0]}]`,
      );
    }
    return { ...best, rules: [`no tap-out: the maximum fare from ${leg.from} (to ${where})`, ...best.rules] };
  }

  // ---- transfers ----

  private elapsed(rule: TransferRule, first: Leg, next: Leg): number {
    // duration_limit_type: 0 departure→arrival, 1 departure→departure, 2 arrival→departure,
    // 3 arrival→arrival. The "current leg" is the sub-journey's first (see docs/fares.md).
    const from = rule.durationType <= 1 ? first.start : first.end;
    const to = rule.durationType === 0 || rule.durationType === 3 ? next.end : next.start;
    return (to - from) / 1000;
  }

  private matchTransfer(prev: string | null, next: string | null, count: number, first: Leg, leg: Leg) {
    if (prev === null || next === null) return [];
    let pool = this.feed.transferRules;
    const narrow = (field: 'fromGroup' | 'toGroup', group: string) => {
      const exact = pool.filter((r) => r[field] === group);
      pool = exact.length > 0 ? exact : pool.filter((r) => r[field] === null);
    };
    narrow('fromGroup', prev);
    narrow('toGroup', next);
    pool = pool.filter(
      (r) =>
        (r.durationLimit === null || this.elapsed(r, first, leg) <= r.durationLimit) &&
        (r.count === null || r.count === -1 || count <= r.count),
    );
    // Of rules with counts, the one with the least count that still covers this transfer.
    const counted = pool.filter((r) => r.count !== null);
    if (counted.length > 0) {
      const least = Math.min(...counted.map((r) => (r.count === -1 ? Number.POSITIVE_INFINITY : r.count!)));
      pool = pool.filter(
        (r) => r.count === null || (r.count === -1 ? Number.POSITIVE_INFINITY : r.count) === least,
      );
    }
    return pool;
  }

  /**
   * What each fare leg costs after transfer rules. A sub-journey starts with a leg paid in full;
   * each next leg joins it when a transfer rule matches, at A + AB (type 0), A + AB + B (1) or
   * AB in place of A + B (2, the first transfer; later ones are S + BC, as the reference's
   * table says). A transfer never makes a leg cost less than nothing, and a leg never pays more
   * through a transfer than alone: the rider then starts a new sub-journey.
   */
  private transfers(legs: Leg[], priced: Priced[], category: string | null, medium: string | null): number[] {
    const charges: number[] = [];
    let first = 0;
    let count = 0;
    legs.forEach((leg, j) => {
      const own = priced[j].amount;
      let best: { charge: number; rule: TransferRule; transfer: number } | undefined;
      if (j > 0) {
        for (const rule of this.matchTransfer(
          priced[j - 1].group,
          priced[j].group,
          count + 1,
          legs[first],
          leg,
        )) {
          const transfer = rule.product === null ? 0 : this.productAmount(rule.product, category, medium);
          if (transfer === undefined) continue;
          let charge = rule.type === 0 ? transfer : rule.type === 1 ? transfer + own : transfer;
          if (rule.type === 2 && count === 0) charge = transfer - charges[j - 1];
          charge = Math.max(0, charge);
          if (charge <= own && (!best || charge < best.charge)) best = { charge, rule, transfer };
        }
      }
      if (best) {
        count++;
        charges.push(best.charge);
        const r = best.rule;
        priced[j].rules.push(
          `transfer from leg ${legs[j - 1].covers[0]} (${r.where}, type ${r.type}${r.durationLimit ? `, within ${r.durationLimit} s` : ''}${r.count !== null ? `, transfer ${count} of ${r.count === -1 ? 'unlimited' : r.count}` : ''}${r.product ? `, ${r.product} ${this.money(best.transfer)}` : ', no transfer fee'}): ${this.money(best.charge)}`,
        );
      } else {
        first = j;
        count = 0;
        charges.push(own);
      }
    });
    return charges;
  }

  // ---- caps (extension) ----

  /** The service day (day number) of an instant: local date, less a day before the day start. */
  private serviceDay(ms: number): number {
    return serviceDayOf(this.feed.timezone, this.feed.dayStart, ms);
  }

  private applyCaps(
    legs: Leg[],
    charges: number[],
    priced: Priced[],
    category: string | null,
    medium: string | null,
  ) {
    const caps = this.feed.caps.filter(
      (c) => (c.category === null || c.category === category) && (c.medium === null || c.medium === medium),
    );
    if (caps.length === 0) return;
    const spent = new Map<string, number>();
    legs.forEach((leg, j) => {
      const day = this.serviceDay(leg.start);
      const week = day - weekday(day);
      const key = (cap: Cap) => `${cap.id}|${cap.period === 'day' ? day : week}`;
      const applicable = caps.filter((c) => c.agency === null || c.agency === leg.operator);
      let charge = charges[j];
      let limiting: Cap | undefined;
      for (const cap of applicable) {
        const room = Math.max(0, cap.amount - (spent.get(key(cap)) ?? 0));
        if (room < charge) {
          charge = room;
          limiting = cap;
        }
      }
      for (const cap of applicable) spent.set(key(cap), (spent.get(key(cap)) ?? 0) + charge);
      if (limiting) {
        priced[j].rules.push(
          `${limiting.period === 'day' ? 'daily' : 'weekly'} cap ${limiting.id} of ${this.money(limiting.amount)} (${limiting.where}): ${this.money(charge)} instead of ${this.money(charges[j])}`,
        );
      }
      charges[j] = charge;
    });
  }
}

function dijkstra(graph: Map<string, Map<string, number>>, source: string): Map<string, number> {
  const dist = new Map<string, number>([[source, 0]]);
  const done = new Set<string>();
  // Station graphs have hundreds of nodes at most: a linear scan for the nearest is fast enough.
  for (;;) {
    let node: string | undefined;
    let best = Number.POSITIVE_INFINITY;
    for (const [n, d] of dist) {
      if (!done.has(n) && d < best) {
        best = d;
        node = n;
      }
    }
    if (node === undefined) return dist;
    done.add(node);
    for (const [next, w] of graph.get(node) ?? []) {
      if (best + w < (dist.get(next) ?? Number.POSITIVE_INFINITY)) dist.set(next, best + w);
    }
  }
}
