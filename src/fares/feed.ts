/**
 * A fare feed read into plain data: the GTFS-Fares v2 files of one or more GTFS folders or zips
 * (merged, as the region's operators and its regional rules are), the stops, routes and
 * calendars they refer to, and Tongcheng's extension files (`tongcheng_*.txt`, docs/fares.md).
 * Every reference is checked here, so the engine never meets a dangling id; every error is a 422
 * `gtfs-invalid` naming file, line and field.
 */

import { type Problem, problem } from '../lib/errors.ts';
import { type CsvRow, readCsvRows, readFeedFiles } from '../lib/feed-files.ts';
import { isTimeZone, tryParseDate, tryParseTime } from '../lib/time.ts';

export interface FareStop {
  id: string;
  parent: string | null;
  /** stop_timezone, or its parent's, or null: the feed's zone then. */
  timezone: string | null;
  /** The agencies of the feed the stop came from: the operators that may serve it. */
  operators: Set<string>;
  /** stop_name, as the feed writes it. */
  name: string | null;
  /** WGS-84 degrees, when stops.txt gives them: where the card's flows between cities place a stop. */
  lat: number | null;
  lon: number | null;
}

export interface FareProductRow {
  id: string;
  name: string;
  category: string | null;
  medium: string | null;
  /** Minor units (fen); negative for a discount. */
  amount: number;
  line: number;
}

export interface LegRule {
  /** Where it was written, for the explanation: `fare_leg_rules.txt line 3`. */
  where: string;
  group: string | null;
  network: string | null;
  fromArea: string | null;
  toArea: string | null;
  fromTimeframe: string | null;
  toTimeframe: string | null;
  product: string;
  priority: number;
  /** tongcheng_distance_leg_rules.txt: the leg's network distance must be in (min, max]. */
  minKm: number | null;
  maxKm: number | null;
}

export interface JoinRule {
  fromNetwork: string;
  toNetwork: string;
  fromStop: string | null;
  toStop: string | null;
}

export interface TransferRule {
  where: string;
  fromGroup: string | null;
  toGroup: string | null;
  /** -1 unlimited; null where the groups differ. */
  count: number | null;
  /** Seconds, or null for no limit. */
  durationLimit: number | null;
  durationType: number;
  type: 0 | 1 | 2;
  product: string | null;
}

export interface Cap {
  where: string;
  id: string;
  period: 'day' | 'week';
  amount: number;
  category: string | null;
  medium: string | null;
  /** null: the cap counts the legs of every operator. */
  agency: string | null;
}

export interface Timeframe {
  start: number;
  end: number;
  service: string;
}

export interface Service {
  /** Bit 0 = Monday … bit 6 = Sunday. */
  weekdays: number;
  start: number;
  end: number;
  added: Set<number>;
  removed: Set<number>;
}

export interface FareFeed {
  currency: string;
  /** Decimal places of the currency's minor unit (2 for CNY). */
  digits: number;
  timezone: string;
  agencies: Set<string>;
  stops: Map<string, FareStop>;
  routes: Map<string, { agency: string; network: string | null }>;
  networks: Set<string>;
  /** The networks each agency runs: of its routes, and those its own feed declares. */
  agencyNetworks: Map<string, Set<string>>;
  /** Areas a stop is explicitly assigned to. */
  stopAreas: Map<string, Set<string>>;
  services: Map<string, Service>;
  timeframes: Map<string, Timeframe[]>;
  media: Map<string, { name: string; type: number }>;
  products: Map<string, FareProductRow[]>;
  categories: Map<string, { name: string; isDefault: boolean }>;
  defaultCategory: string | null;
  legRules: LegRule[];
  /** Whether rule_priority is given: then an empty field matches anything (GTFS semantics). */
  prioritised: boolean;
  joinRules: JoinRule[];
  transferRules: TransferRule[];
  /** Station graph: km between adjacent stations, by network ('' for edges of no network). */
  edges: Map<string, Map<string, Map<string, number>>>;
  caps: Cap[];
  /** tongcheng_tap_networks.txt: the network a leg known only from gate taps (no route) is priced on, per agency. */
  tapNetworks: Map<string, string>;
  /** Seconds after local midnight at which a service day starts, for caps. */
  dayStart: number;
}

const invalid = (file: string, line: number, field: string, reason: string): Problem =>
  problem('gtfs-invalid', `${file} line ${line}, field ${field}: ${reason}`, field);

const opt = (row: CsvRow, column: string): string | null => row.get(column) || null;

function need(row: CsvRow, file: string, column: string): string {
  const value = row.get(column);
  if (value === '') throw invalid(file, row.line, column, 'a value is required');
  return value;
}

function int(row: CsvRow, file: string, column: string, min: number, max: number): number | null {
  const text = row.get(column);
  if (text === '') return null;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(file, row.line, column, `"${text}" is not an integer from ${min} to ${max}`);
  }
  return value;
}

function km(row: CsvRow, file: string, column: string): number | null {
  const text = row.get(column);
  if (text === '') return null;
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(value)) {
    throw invalid(file, row.line, column, `"${text}" is not a distance in km`);
  }
  return value;
}

/** Decimal places of an ISO 4217 currency's minor unit. */
function currencyDigits(currency: string): number | undefined {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits;
  } catch {
    return undefined;
  }
}

/** A GTFS currency amount as an exact integer of minor units: never through a float. */
function minorUnits(text: string, digits: number, file: string, line: number, field: string): number {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m || (m[3] ?? '').length > digits) {
    throw invalid(file, line, field, `"${text}" is not an amount with at most ${digits} decimals`);
  }
  const value = Number(m[2] + (m[3] ?? '').padEnd(digits, '0'));
  if (!Number.isSafeInteger(value)) throw invalid(file, line, field, `"${text}" is too large`);
  return m[1] === '-' ? -value : value;
}

function time(row: CsvRow, file: string, column: string, fallback: number): number {
  const text = row.get(column);
  if (text === '') return fallback;
  const seconds = tryParseTime(text);
  if (seconds === undefined || seconds > 86_400) {
    throw invalid(file, row.line, column, `"${text}" is not a time from 00:00:00 to 24:00:00`);
  }
  return seconds;
}

function date(row: CsvRow, file: string, column: string): number {
  const day = tryParseDate(need(row, file, column));
  if (day === undefined)
    throw invalid(file, row.line, column, `"${row.get(column)}" is not a date (YYYYMMDD)`);
  return day;
}

interface Source {
  files: Map<string, Uint8Array>;
  agencies: string[];
}

/** Rows of a file across all sources, each with the source it came from. */
function rows(sources: Source[], file: string, required: readonly string[] = []) {
  const out: { row: CsvRow; source: Source }[] = [];
  let present = false;
  for (const source of sources) {
    const list = readCsvRows(source.files, file, required);
    if (!list) continue;
    present = true;
    for (const row of list) out.push({ row, source });
  }
  return Object.assign(out, { present });
}

/** Reads and merges the fare feeds at `sources` (folders or zips). */
export function readFareFeed(sourcePaths: readonly string[]): FareFeed {
  const sources: Source[] = sourcePaths.map((path) => ({ files: readFeedFiles(path), agencies: [] }));

  const agencies = new Set<string>();
  const zones = new Set<string>();
  for (const { row, source } of rows(sources, 'agency.txt', ['agency_timezone'])) {
    // A feed of one agency may leave agency_id empty; the id is then ''.
    const id = row.get('agency_id');
    if (agencies.has(id))
      throw invalid('agency.txt', row.line, 'agency_id', `agency "${id}" is defined twice`);
    agencies.add(id);
    source.agencies.push(id);
    const zone = need(row, 'agency.txt', 'agency_timezone');
    if (!isTimeZone(zone))
      throw invalid('agency.txt', row.line, 'agency_timezone', `unknown time zone "${zone}"`);
    zones.add(zone);
  }
  if (agencies.size === 0)
    throw problem('gtfs-invalid', 'the fare feed has no agency.txt with an agency', 'agency.txt');
  if (zones.size > 1) {
    throw problem(
      'gtfs-invalid',
      `the agencies have different time zones (${[...zones].join(', ')})`,
      'agency_timezone',
    );
  }
  let timezone = [...zones][0];

  const stops = new Map<string, FareStop>();
  const parents: [FareStop, string, number][] = [];
  for (const { row, source } of rows(sources, 'stops.txt', ['stop_id'])) {
    const id = need(row, 'stops.txt', 'stop_id');
    if (stops.has(id)) throw invalid('stops.txt', row.line, 'stop_id', `stop "${id}" is defined twice`);
    const zone = opt(row, 'stop_timezone');
    if (zone && !isTimeZone(zone))
      throw invalid('stops.txt', row.line, 'stop_timezone', `unknown time zone "${zone}"`);
    const coordinate = (column: string, limit: number) => {
      const text = opt(row, column);
      if (text === null) return null;
      const value = Number(text);
      if (!Number.isFinite(value) || Math.abs(value) > limit) {
        throw invalid('stops.txt', row.line, column, `"${text}" is not a coordinate`);
      }
      return value;
    };
    const stop: FareStop = {
      id,
      parent: null,
      timezone: zone,
      operators: new Set(source.agencies),
      name: opt(row, 'stop_name'),
      lat: coordinate('stop_lat', 90),
      lon: coordinate('stop_lon', 180),
    };
    stops.set(id, stop);
    const parent = opt(row, 'parent_station');
    if (parent) parents.push([stop, parent, row.line]);
  }
  for (const [stop, parent, line] of parents) {
    const station = stops.get(parent);
    if (!station) throw invalid('stops.txt', line, 'parent_station', `unknown stop "${parent}"`);
    stop.parent = parent;
    stop.timezone ??= station.timezone;
  }
  const stopRef = (row: CsvRow, file: string, column: string): string => {
    const id = need(row, file, column);
    if (!stops.has(id)) throw invalid(file, row.line, column, `unknown stop "${id}"`);
    return id;
  };

  const networks = new Set<string>();
  const agencyNetworks = new Map<string, Set<string>>([...agencies].map((a) => [a, new Set<string>()]));
  for (const { row, source } of rows(sources, 'networks.txt', ['network_id'])) {
    const id = need(row, 'networks.txt', 'network_id');
    networks.add(id);
    for (const agency of source.agencies) agencyNetworks.get(agency)!.add(id);
  }
  const routes = new Map<string, { agency: string; network: string | null }>();
  for (const { row, source } of rows(sources, 'routes.txt', ['route_id'])) {
    const id = need(row, 'routes.txt', 'route_id');
    if (routes.has(id)) throw invalid('routes.txt', row.line, 'route_id', `route "${id}" is defined twice`);
    const agency = row.get('agency_id') || (source.agencies.length === 1 ? source.agencies[0] : '');
    if (!agencies.has(agency))
      throw invalid('routes.txt', row.line, 'agency_id', `unknown agency "${agency}"`);
    const network = opt(row, 'network_id');
    if (network) networks.add(network);
    routes.set(id, { agency, network });
  }
  for (const { row } of rows(sources, 'route_networks.txt', ['network_id', 'route_id'])) {
    const network = need(row, 'route_networks.txt', 'network_id');
    if (!networks.has(network))
      throw invalid('route_networks.txt', row.line, 'network_id', `unknown network "${network}"`);
    const id = need(row, 'route_networks.txt', 'route_id');
    const route = routes.get(id);
    if (!route) throw invalid('route_networks.txt', row.line, 'route_id', `unknown route "${id}"`);
    if (route.network)
      throw invalid('route_networks.txt', row.line, 'route_id', `route "${id}" already has a network`);
    route.network = network;
  }
  for (const route of routes.values())
    if (route.network) agencyNetworks.get(route.agency)!.add(route.network);
  const networkRef = (row: CsvRow, file: string, column: string): string | null => {
    const id = opt(row, column);
    if (id && !networks.has(id)) throw invalid(file, row.line, column, `unknown network "${id}"`);
    return id;
  };

  const areas = new Set<string>();
  for (const { row } of rows(sources, 'areas.txt', ['area_id'])) areas.add(need(row, 'areas.txt', 'area_id'));
  const areaRef = (row: CsvRow, file: string, column: string): string | null => {
    const id = opt(row, column);
    if (id && !areas.has(id)) throw invalid(file, row.line, column, `unknown area "${id}"`);
    return id;
  };
  const stopAreas = new Map<string, Set<string>>();
  for (const { row } of rows(sources, 'stop_areas.txt', ['area_id', 'stop_id'])) {
    const area = areaRef(row, 'stop_areas.txt', 'area_id')!;
    if (!area) throw invalid('stop_areas.txt', row.line, 'area_id', 'a value is required');
    const stop = stopRef(row, 'stop_areas.txt', 'stop_id');
    if (!stopAreas.has(stop)) stopAreas.set(stop, new Set());
    stopAreas.get(stop)!.add(area);
  }

  const services = new Map<string, Service>();
  const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  for (const { row } of rows(sources, 'calendar.txt', [
    'service_id',
    ...weekdays,
    'start_date',
    'end_date',
  ])) {
    let mask = 0;
    weekdays.forEach((day, i) => {
      if (int(row, 'calendar.txt', day, 0, 1) === 1) mask |= 1 << i;
    });
    services.set(need(row, 'calendar.txt', 'service_id'), {
      weekdays: mask,
      start: date(row, 'calendar.txt', 'start_date'),
      end: date(row, 'calendar.txt', 'end_date'),
      added: new Set(),
      removed: new Set(),
    });
  }
  for (const { row } of rows(sources, 'calendar_dates.txt', ['service_id', 'date', 'exception_type'])) {
    const id = need(row, 'calendar_dates.txt', 'service_id');
    let service = services.get(id);
    if (!service) {
      service = { weekdays: 0, start: 0, end: -1, added: new Set(), removed: new Set() };
      services.set(id, service);
    }
    const day = date(row, 'calendar_dates.txt', 'date');
    (int(row, 'calendar_dates.txt', 'exception_type', 1, 2) === 1 ? service.added : service.removed).add(day);
  }

  const timeframes = new Map<string, Timeframe[]>();
  for (const { row } of rows(sources, 'timeframes.txt', ['timeframe_group_id', 'service_id'])) {
    const group = need(row, 'timeframes.txt', 'timeframe_group_id');
    const service = need(row, 'timeframes.txt', 'service_id');
    if (!services.has(service))
      throw invalid('timeframes.txt', row.line, 'service_id', `unknown service "${service}"`);
    const start = time(row, 'timeframes.txt', 'start_time', 0);
    const end = time(row, 'timeframes.txt', 'end_time', 86_400);
    if (end <= start)
      throw invalid('timeframes.txt', row.line, 'end_time', 'the timeframe ends before it starts');
    if (!timeframes.has(group)) timeframes.set(group, []);
    timeframes.get(group)!.push({ start, end, service });
  }
  const timeframeRef = (row: CsvRow, file: string, column: string): string | null => {
    const id = opt(row, column);
    if (id && !timeframes.has(id)) throw invalid(file, row.line, column, `unknown timeframe group "${id}"`);
    return id;
  };

  const media = new Map<string, { name: string; type: number }>();
  for (const { row } of rows(sources, 'fare_media.txt', ['fare_media_id', 'fare_media_type'])) {
    media.set(need(row, 'fare_media.txt', 'fare_media_id'), {
      name: row.get('fare_media_name'),
      type: int(row, 'fare_media.txt', 'fare_media_type', 0, 4) ?? 0,
    });
  }

  const categories = new Map<string, { name: string; isDefault: boolean }>();
  for (const { row } of rows(sources, 'rider_categories.txt', ['rider_category_id'])) {
    const id = need(row, 'rider_categories.txt', 'rider_category_id');
    categories.set(id, {
      name: row.get('rider_category_name'),
      isDefault: int(row, 'rider_categories.txt', 'is_default_fare_category', 0, 1) === 1,
    });
  }
  const defaults = [...categories].filter(([, c]) => c.isDefault).map(([id]) => id);
  if (defaults.length > 1) {
    throw problem(
      'gtfs-invalid',
      `rider_categories.txt: more than one default category (${defaults.join(', ')})`,
      'is_default_fare_category',
    );
  }

  const categoryRef = (row: CsvRow, file: string): string | null => {
    const id = opt(row, 'rider_category_id');
    if (id && !categories.has(id))
      throw invalid(file, row.line, 'rider_category_id', `unknown rider category "${id}"`);
    return id;
  };
  const mediumRef = (row: CsvRow, file: string): string | null => {
    const id = opt(row, 'fare_media_id');
    if (id && !media.has(id)) throw invalid(file, row.line, 'fare_media_id', `unknown fare medium "${id}"`);
    return id;
  };

  const currencies = new Set<string>();
  const digitsOf = (row: CsvRow, file: string): number => {
    const currency = need(row, file, 'currency');
    const digits = currencyDigits(currency);
    if (digits === undefined) throw invalid(file, row.line, 'currency', `unknown currency "${currency}"`);
    currencies.add(currency);
    if (currencies.size > 1)
      throw invalid(file, row.line, 'currency', `the feed mixes currencies (${[...currencies].join(', ')})`);
    return digits;
  };
  const products = new Map<string, FareProductRow[]>();
  for (const { row } of rows(sources, 'fare_products.txt', ['fare_product_id', 'amount', 'currency'])) {
    const file = 'fare_products.txt';
    const id = need(row, file, 'fare_product_id');
    const category = categoryRef(row, file);
    const medium = mediumRef(row, file);
    const amount = minorUnits(need(row, file, 'amount'), digitsOf(row, file), file, row.line, 'amount');
    if (!products.has(id)) products.set(id, []);
    products
      .get(id)!
      .push({ id, name: row.get('fare_product_name'), category, medium, amount, line: row.line });
  }
  const productRef = (row: CsvRow, file: string, column: string, required: boolean): string | null => {
    const id = required ? need(row, file, column) : opt(row, column);
    if (id && !products.has(id)) throw invalid(file, row.line, column, `unknown fare product "${id}"`);
    return id;
  };

  const legRules: LegRule[] = [];
  let prioritised = false;
  const legRuleFiles = ['fare_leg_rules.txt', 'tongcheng_distance_leg_rules.txt'];
  for (const file of legRuleFiles) {
    for (const { row } of rows(sources, file, ['fare_product_id'])) {
      prioritised ||= row.has('rule_priority');
      const distance = file !== 'fare_leg_rules.txt';
      const minKm = distance ? km(row, file, 'min_distance_km') : null;
      const maxKm = distance ? km(row, file, 'max_distance_km') : null;
      if (minKm !== null && maxKm !== null && maxKm <= minKm) {
        throw invalid(file, row.line, 'max_distance_km', 'the band ends before it starts');
      }
      legRules.push({
        where: `${file} line ${row.line}`,
        group: opt(row, 'leg_group_id'),
        network: networkRef(row, file, 'network_id'),
        fromArea: areaRef(row, file, 'from_area_id'),
        toArea: areaRef(row, file, 'to_area_id'),
        fromTimeframe: timeframeRef(row, file, 'from_timeframe_group_id'),
        toTimeframe: timeframeRef(row, file, 'to_timeframe_group_id'),
        product: productRef(row, file, 'fare_product_id', true)!,
        priority: int(row, file, 'rule_priority', 0, Number.MAX_SAFE_INTEGER) ?? 0,
        // A distance rule with neither bound still needs a known distance: so (0, ∞).
        minKm: distance ? (minKm ?? 0) : null,
        maxKm: distance ? (maxKm ?? Number.POSITIVE_INFINITY) : null,
      });
    }
  }
  const groups = new Set(legRules.map((r) => r.group).filter((g) => g !== null));

  const joinRules: JoinRule[] = [];
  for (const { row } of rows(sources, 'fare_leg_join_rules.txt', ['from_network_id', 'to_network_id'])) {
    const file = 'fare_leg_join_rules.txt';
    joinRules.push({
      fromNetwork: networkRef(row, file, 'from_network_id') ?? need(row, file, 'from_network_id'),
      toNetwork: networkRef(row, file, 'to_network_id') ?? need(row, file, 'to_network_id'),
      fromStop: row.get('from_stop_id') ? stopRef(row, file, 'from_stop_id') : null,
      toStop: row.get('to_stop_id') ? stopRef(row, file, 'to_stop_id') : null,
    });
  }

  const transferRules: TransferRule[] = [];
  for (const { row } of rows(sources, 'fare_transfer_rules.txt', ['fare_transfer_type'])) {
    const file = 'fare_transfer_rules.txt';
    const group = (column: string) => {
      const id = opt(row, column);
      if (id && !groups.has(id)) throw invalid(file, row.line, column, `unknown leg group "${id}"`);
      return id;
    };
    const fromGroup = group('from_leg_group_id');
    const toGroup = group('to_leg_group_id');
    const count = int(row, file, 'transfer_count', -1, Number.MAX_SAFE_INTEGER);
    if (count === 0) throw invalid(file, row.line, 'transfer_count', 'must not be 0');
    if (fromGroup === toGroup && count === null) {
      throw invalid(
        file,
        row.line,
        'transfer_count',
        'required where from_leg_group_id equals to_leg_group_id',
      );
    }
    if (fromGroup !== toGroup && count !== null) {
      throw invalid(
        file,
        row.line,
        'transfer_count',
        'forbidden where from_leg_group_id differs from to_leg_group_id',
      );
    }
    const durationLimit = int(row, file, 'duration_limit', 1, Number.MAX_SAFE_INTEGER);
    const durationType = int(row, file, 'duration_limit_type', 0, 3);
    if ((durationLimit === null) !== (durationType === null)) {
      throw invalid(file, row.line, 'duration_limit_type', 'required with duration_limit, forbidden without');
    }
    transferRules.push({
      where: `${file} line ${row.line}`,
      fromGroup,
      toGroup,
      count: fromGroup === toGroup ? count : null,
      durationLimit,
      durationType: durationType ?? 0,
      type: int(row, file, 'fare_transfer_type', 0, 2) as 0 | 1 | 2,
      product: productRef(row, file, 'fare_product_id', false),
    });
  }

  const edges = new Map<string, Map<string, Map<string, number>>>();
  for (const { row } of rows(sources, 'tongcheng_station_edges.txt', [
    'from_stop_id',
    'to_stop_id',
    'distance_km',
  ])) {
    const file = 'tongcheng_station_edges.txt';
    const a = stopRef(row, file, 'from_stop_id');
    const b = stopRef(row, file, 'to_stop_id');
    const d = km(row, file, 'distance_km');
    if (d === null || d <= 0) throw invalid(file, row.line, 'distance_km', 'a positive distance is required');
    const network = networkRef(row, file, 'network_id') ?? '';
    if (!edges.has(network)) edges.set(network, new Map());
    const graph = edges.get(network)!;
    for (const [x, y] of [
      [a, b],
      [b, a],
    ]) {
      if (!graph.has(x)) graph.set(x, new Map());
      graph.get(x)!.set(y, Math.min(d, graph.get(x)!.get(y) ?? d));
    }
  }

  const tapNetworks = new Map<string, string>();
  for (const { row } of rows(sources, 'tongcheng_tap_networks.txt', ['agency_id', 'network_id'])) {
    const file = 'tongcheng_tap_networks.txt';
    const agency = need(row, file, 'agency_id');
    if (!agencies.has(agency)) throw invalid(file, row.line, 'agency_id', `unknown agency "${agency}"`);
    if (tapNetworks.has(agency))
      throw invalid(file, row.line, 'agency_id', `agency "${agency}" is named twice`);
    tapNetworks.set(agency, networkRef(row, file, 'network_id') ?? need(row, file, 'network_id'));
  }

  const caps: Cap[] = [];
  for (const { row } of rows(sources, 'tongcheng_fare_caps.txt', [
    'cap_id',
    'cap_period',
    'amount',
    'currency',
  ])) {
    const file = 'tongcheng_fare_caps.txt';
    const period = row.get('cap_period');
    if (period !== 'day' && period !== 'week')
      throw invalid(file, row.line, 'cap_period', `"${period}" is not day or week`);
    const category = categoryRef(row, file);
    const medium = mediumRef(row, file);
    const agency = opt(row, 'agency_id');
    if (agency !== null && !agencies.has(agency))
      throw invalid(file, row.line, 'agency_id', `unknown agency "${agency}"`);
    const amount = minorUnits(need(row, file, 'amount'), digitsOf(row, file), file, row.line, 'amount');
    if (amount < 0) throw invalid(file, row.line, 'amount', 'a cap cannot be negative');
    caps.push({
      where: `${file} line ${row.line}`,
      id: need(row, file, 'cap_id'),
      period,
      amount,
      category,
      medium,
      agency,
    });
  }

  let dayStart: number | undefined;
  for (const { row } of rows(sources, 'tongcheng_fare_settings.txt')) {
    const file = 'tongcheng_fare_settings.txt';
    const start = time(row, file, 'service_day_start', 0);
    if (start >= 86_400) throw invalid(file, row.line, 'service_day_start', 'must be before 24:00:00');
    if (dayStart !== undefined && dayStart !== start) {
      throw invalid(file, row.line, 'service_day_start', 'the merged feeds state different day starts');
    }
    dayStart = start;
    const zone = opt(row, 'timezone');
    if (zone) {
      if (!isTimeZone(zone)) throw invalid(file, row.line, 'timezone', `unknown time zone "${zone}"`);
      timezone = zone;
    }
  }

  const currency = [...currencies][0] ?? 'XXX';
  return {
    currency,
    digits: currencyDigits(currency) ?? 0,
    timezone,
    agencies,
    stops,
    routes,
    networks,
    agencyNetworks,
    stopAreas,
    services,
    timeframes,
    media,
    products,
    categories,
    defaultCategory: defaults[0] ?? null,
    legRules,
    prioritised,
    joinRules,
    transferRules,
    edges,
    caps,
    tapNetworks,
    dayStart: dayStart ?? 0,
  };
}
