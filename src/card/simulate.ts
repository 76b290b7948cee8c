/**
 * Commuters of the region, simulated: each rider lives in one city and works in another, rides
 * to the home city's rail station (metro where the city has one, else a bus), takes the train,
 * rides the metro or a bus at the other end, and comes back in the evening. Validators record
 * the taps and sign them in numbered batches; a share of exits is missed and a share of batches
 * arrives hours late or twice. Seeded: the same options write the same files.
 *
 * Who commutes between which cities is an estimate, a gravity model (population × population /
 * distance²) over the pack's cities; times and shares are set below, not measured.
 */
import { createHash } from 'node:crypto';
import { type Static, Type } from 'typebox';
import { seededRandom } from '../lib/random.ts';
import { formatDate, localToUtc, parseDate, weekday } from '../lib/time.ts';
import {
  CardNumber,
  NewValidator,
  RIDER_CATEGORIES,
  type RiderCategory,
  type Tap,
  TapBatch,
  type TapKind,
} from './model.ts';
import { withCheckDigit } from './numbers.ts';
import { deviceKeyFromSeed, privateKeyObject, signBatch } from './signing.ts';

export interface SimStop {
  id: string;
  lat: number;
  lon: number;
}

/** What the simulation rides: per city, its rail stations and its local operator (metro or bus). */
export interface SimNetwork {
  timeZone: string;
  rail: { operator: string; stations: Map<string, SimStop[]> };
  local: Map<string, { operator: string; gated: boolean; stops: SimStop[]; routes: string[] }>;
  cities: { id: string; jurisdiction: string; population: number; lat: number; lon: number }[];
}

export interface SimOptions {
  riders: number;
  days: number;
  seed: number;
  /** The first simulated service date, `YYYY-MM-DD`. */
  start: string;
  /** Minutes of taps a validator gathers into one batch. */
  batchMinutes?: number;
  /** Shares: exits missed, batches sent hours late, batches sent twice. */
  missedExits?: number;
  lateBatches?: number;
  repeatedBatches?: number;
}

/** The files a simulation writes, and `card ingest` reads and checks. */
export const SimCard = Type.Object({
  number: CardNumber,
  category: Type.Enum(RIDER_CATEGORIES),
  issuer: Type.String({ minLength: 1 }),
  /** Fen topped up before the first day. */
  topUp: Type.Integer({ minimum: 0 }),
});
export type SimCard = Static<typeof SimCard>;

export const SimValidator = NewValidator;
export type SimValidator = NewValidator;

export const SimBatch = Type.Object({
  /** When the validator sent it: files are ingested in this order. */
  sentAt: Type.String(),
  batch: TapBatch,
});
export type SimBatch = Static<typeof SimBatch>;

export interface Simulation {
  cards: SimCard[];
  validators: SimValidator[];
  batches: SimBatch[];
  taps: number;
}

const km = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) => {
  const dLat = ((b.lat - a.lat) * Math.PI) / 180;
  const dLon = (((b.lon - a.lon) * Math.PI) / 180) * Math.cos(((a.lat + b.lat) / 2) * (Math.PI / 180));
  return 6371 * Math.sqrt(dLat * dLat + dLon * dLon);
};

const nearest = (stops: SimStop[], at: SimStop) =>
  stops.reduce((best, s) => (km(s, at) < km(best, at) ? s : best), stops[0]);

export function simulate(network: SimNetwork, options: SimOptions): Simulation {
  const rnd = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rnd() * items.length)];
  const normal = (mean: number, sd: number) => {
    const u = 1 - rnd();
    const v = rnd();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const missedExits = options.missedExits ?? 0.02;
  const lateBatches = options.lateBatches ?? 0.05;
  const repeatedBatches = options.repeatedBatches ?? 0.01;
  const batchMs = (options.batchMinutes ?? 60) * 60_000;

  // City pairs weighted by a gravity model, over cities with a rail station.
  const cities = network.cities.filter((c) => (network.rail.stations.get(c.id)?.length ?? 0) > 0);
  const pairs: { home: (typeof cities)[number]; work: (typeof cities)[number]; weight: number }[] = [];
  for (const home of cities) {
    for (const work of cities) {
      if (home === work) continue;
      const d = Math.max(20, km(home, work));
      pairs.push({ home, work, weight: (home.population * work.population) / (d * d) });
    }
  }
  const total = pairs.reduce((s, p) => s + p.weight, 0);
  const cumulative = pairs.map(
    (
      (acc) => (p: (typeof pairs)[number]) =>
        (acc += p.weight / total)
    )(0),
  );
  const pickPair = () => {
    const x = rnd();
    const i = cumulative.findIndex((c) => c >= x);
    return pairs[i < 0 ? pairs.length - 1 : i];
  };

  const taps: { device: string; tap: Tap; atMs: number }[] = [];
  const devices = new Map<string, SimValidator & { key: ReturnType<typeof privateKeyObject> }>();
  const deviceAt = (operator: string, stop: string) => {
    const id = `${operator}:${stop}:${1 + Math.floor(rnd() * 2)}`;
    if (!devices.has(id)) {
      const key = deviceKeyFromSeed(createHash('sha256').update(`${options.seed}:${id}`).digest());
      devices.set(id, { id, party: operator, publicKey: key.publicKey, key: privateKeyObject(key) });
    }
    return id;
  };
  let tapSerial = 0;
  const record = (
    card: string,
    operator: string,
    kind: TapKind,
    stop: string,
    atMs: number,
    route?: string,
  ) => {
    const device = deviceAt(operator, stop);
    const tap: Tap = {
      id: `${device}:${(++tapSerial).toString(36)}`,
      card,
      kind,
      stop,
      ...(route ? { route } : {}),
      at: new Date(Math.round(atMs / 1000) * 1000).toISOString(),
    };
    taps.push({ device, tap, atMs });
  };

  /** A local leg within a city: gated metro (entry, exit) or a bus (one tap). Returns when it ends. */
  const localLeg = (
    card: string,
    city: string,
    from: SimStop | null,
    to: SimStop | null,
    startMs: number,
  ) => {
    const local = network.local.get(city);
    if (!local || local.stops.length === 0) return startMs;
    const a = from ?? pick(local.stops);
    const b = to ?? pick(local.stops);
    const minutes = 6 + km(a, b) * 2 + rnd() * 6;
    if (local.gated) {
      record(card, local.operator, 'entry', a.id, startMs);
      if (rnd() >= missedExits) record(card, local.operator, 'exit', b.id, startMs + minutes * 60_000);
    } else {
      record(card, local.operator, 'board', a.id, startMs, pick(local.routes));
    }
    return startMs + minutes * 60_000;
  };

  const cards: SimCard[] = [];
  const start = parseDate(options.start, 'start');
  for (let r = 0; r < options.riders; r++) {
    const { home, work } = pickPair();
    const x = rnd();
    const category: RiderCategory = x < 0.85 ? 'adult' : x < 0.93 ? 'student' : 'senior';
    const number = withCheckDigit(
      `31${String(options.seed % 1000).padStart(3, '0')}${String(r).padStart(10, '0')}`,
    );
    cards.push({ number, category, issuer: home.jurisdiction, topUp: 50_000 });
    const homeStation = pick(network.rail.stations.get(home.id)!);
    const workStation = pick(network.rail.stations.get(work.id)!);
    const homeLocal = network.local.get(home.id);
    const workLocal = network.local.get(work.id);
    // Home and work are a ride from the station, where the city's metro has more than one stop.
    const away = (local: typeof homeLocal, station: SimStop) => {
      if (!local?.gated) return null;
      const others = local.stops.filter((s) => s !== nearest(local.stops, station));
      return pick(others.length > 0 ? others : local.stops);
    };
    const homeStop = away(homeLocal, homeStation);
    const workStop = away(workLocal, workStation);
    const railMinutes = 12 + km(homeStation, workStation) / 2.2;
    // Each end of the commute: the city, its station, the local stop by the station and the one
    // by home or work (metro), or neither (a bus from anywhere).
    const end = (city: string, local: typeof homeLocal, station: SimStop, stop: SimStop | null) => ({
      city,
      station,
      stop,
      gate: local?.gated ? nearest(local.stops, station) : null,
    });
    const homeEnd = end(home.id, homeLocal, homeStation, homeStop);
    const workEnd = end(work.id, workLocal, workStation, workStop);
    /** From one end to the other: local leg to the station, the train, local leg onwards. */
    const journey = (from: typeof homeEnd, to: typeof homeEnd, startMs: number) => {
      let t = localLeg(number, from.city, from.stop, from.gate, startMs);
      t += (5 + rnd() * 10) * 60_000;
      record(number, network.rail.operator, 'entry', from.station.id, t);
      t += railMinutes * 60_000;
      if (rnd() >= missedExits) record(number, network.rail.operator, 'exit', to.station.id, t);
      t += (3 + rnd() * 5) * 60_000;
      localLeg(number, to.city, to.gate, to.stop, t);
    };
    const saturday = rnd() < 0.1;
    for (let d = 0; d < options.days; d++) {
      const day = start + d;
      const wd = weekday(day);
      if (wd === 6 || (wd === 5 && !saturday)) continue;
      const morning = localToUtc(network.timeZone, day, Math.round(normal(7.2, 0.5) * 3600));
      journey(homeEnd, workEnd, morning);
      const evening = localToUtc(network.timeZone, day, Math.round(normal(18.0, 0.75) * 3600));
      journey(workEnd, homeEnd, evening);
    }
  }

  // Each validator's taps, in time order, in batches of `batchMinutes`, numbered from 1.
  const byDevice = new Map<string, typeof taps>();
  for (const t of taps) {
    const list = byDevice.get(t.device) ?? [];
    list.push(t);
    byDevice.set(t.device, list);
  }
  const batches: SimBatch[] = [];
  for (const [id, list] of [...byDevice.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    list.sort((a, b) => a.atMs - b.atMs);
    const device = devices.get(id)!;
    let seq = 0;
    for (let i = 0; i < list.length; ) {
      const windowEnd = Math.floor(list[i].atMs / batchMs) * batchMs + batchMs;
      const part: Tap[] = [];
      while (i < list.length && list[i].atMs < windowEnd && part.length < 5000) part.push(list[i++].tap);
      const batch = signBatch({ device: id, seq: ++seq, taps: part }, device.key);
      const late = rnd() < lateBatches ? (2 + rnd() * 6) * 3600_000 : 60_000;
      batches.push({ sentAt: new Date(windowEnd + late).toISOString(), batch });
      if (rnd() < repeatedBatches)
        batches.push({ sentAt: new Date(windowEnd + late + 600_000).toISOString(), batch });
    }
  }
  batches.sort((a, b) => (a.sentAt < b.sentAt ? -1 : a.sentAt > b.sentAt ? 1 : 0));
  return {
    cards,
    validators: [...devices.values()].map(({ id, party, publicKey }) => ({ id, party, publicKey })),
    batches,
    taps: taps.length,
  };
}

/** The Monday before last: a default start whose seven days are all in the past. */
export function defaultStart(now = new Date()): string {
  const today = Math.floor(now.getTime() / 86_400_000);
  return formatDate(today - weekday(today) - 7);
}
