/**
 * GTFS in: a feed read from a .zip or a folder into plain, index-linked data.
 *
 * The reader resolves every id to an array index as it goes, so a dangling reference is caught at the line
 * that makes it, and the timetable builder never looks up a string. stop_times, by far the largest table,
 * is kept column-wise in typed arrays grouped by trip. Every error is a 422 `gtfs-invalid` Problem naming
 * file, line and field, because the person fixing a feed needs exactly that.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { Problem, problem } from '../lib/errors.ts';
import { hashFeedFiles, readFeedFiles } from '../lib/feed-files.ts';
import { isTimeZone, tryParseDate, tryParseTime } from '../lib/time.ts';

export interface GtfsAgency {
  id: string;
  name: string;
  timezone: string;
  lang: string;
}

export interface GtfsStop {
  id: string;
  name: string;
  lat: number;
  lon: number;
  /** 0 stop/platform, 1 station, 2 entrance, 3 generic node, 4 boarding area. */
  locationType: number;
  /** Index of the parent station in `stops`, or -1. */
  parent: number;
  /** Names by language (BCP 47 tag, lower case), from the feed language and translations.txt. */
  names: Record<string, string>;
  /**
   * The IANA zone the stop's clocks show: its stop_timezone, its parent station's when it has one (GTFS:
   * a location with a parent inherits the parent's zone), else the agency's. It changes only how times are
   * shown; stop_times stay on the agency's service-day clock.
   */
  timezone: string;
}

function colorField(text: string, line: number): string | null {
  if (!text) return null;
  if (!/^[0-9A-Fa-f]{6}$/.test(text)) {
    throw gtfsInvalid('routes.txt', line, 'route_color', `"${text}" is not a six-digit hex colour`);
  }
  return `#${text.toLowerCase()}`;
}

export interface GtfsRoute {
  id: string;
  agencyId: string;
  shortName: string;
  longName: string;
  /** Long names by language (lower case), from translations.txt. */
  longNames: Record<string, string>;
  type: number;
  /** `#rrggbb`, or null when the feed gives none. */
  color: string | null;
}

export interface GtfsService {
  id: string;
  /** Bit 0 = Monday … bit 6 = Sunday; 0 when the service has no calendar.txt row. */
  weekdays: number;
  /** Day numbers; undefined without a calendar.txt row. */
  start: number | undefined;
  end: number | undefined;
  added: number[];
  removed: number[];
}

export interface GtfsTrip {
  id: string;
  route: number;
  service: number;
  headsign: string;
  shortName: string;
}

/** Stop times grouped by trip: those of trip t are rows `tripStart[t]` … `tripStart[t + 1] - 1`, in order. */
export interface GtfsStopTimes {
  tripStart: Int32Array;
  stop: Int32Array;
  arrival: Int32Array;
  departure: Int32Array;
  /** 1 when passengers may not board (pickup_type 1) … */
  noPickup: Uint8Array;
  /** … or alight (drop_off_type 1) here. */
  noDropOff: Uint8Array;
}

export interface GtfsTransfer {
  from: number;
  to: number;
  /** 0 recommended, 1 timed, 2 minimum time, 3 not possible. */
  type: number;
  minTime: number;
}

export interface GtfsFeedInfo {
  publisher: string;
  lang: string;
  version: string;
  start: number | undefined;
  end: number | undefined;
}

export interface Feed {
  /** sha256 (hex) over the feed's file names and bytes: the cache key of a built timetable. */
  hash: string;
  agencies: GtfsAgency[];
  /** agency_timezone, which GTFS requires to be the same for all agencies. */
  timezone: string;
  /** feed_lang, else the first agency_lang, lower case; '' when unknown. */
  lang: string;
  info: GtfsFeedInfo | undefined;
  stops: GtfsStop[];
  routes: GtfsRoute[];
  services: GtfsService[];
  trips: GtfsTrip[];
  stopTimes: GtfsStopTimes;
  transfers: GtfsTransfer[];
}

export interface GtfsProgress {
  file: string;
  rows: number;
  /** Bytes of the file read so far, and its size, for a progress bar. */
  bytes: number;
  totalBytes: number;
}

export interface ReadGtfsOptions {
  onProgress?: (progress: GtfsProgress) => void;
}

/**
 * A language as a canonical BCP 47 tag (`zh-cn` → `zh-CN`), as the region's names use them; a
 * value that is no tag is kept as the feed wrote it, since the feed's text is still worth showing.
 */
function languageTag(text: string): string {
  if (text === '') return '';
  try {
    return Intl.getCanonicalLocales(text)[0] ?? text;
  } catch {
    return text;
  }
}

export function gtfsInvalid(file: string, line: number, field: string, reason: string): Problem {
  return problem('gtfs-invalid', `${file} line ${line}, field ${field}: ${reason}`, field);
}

function feedProblem(detail: string, field?: string): Problem {
  return problem('gtfs-invalid', detail, field);
}

/** One row of a table: field values by column name, and the line it ends on. */
interface Row {
  get(column: string): string;
  line: number;
}

async function readTable(
  files: Map<string, Uint8Array>,
  file: string,
  required: string[],
  onRow: (row: Row) => void,
  options: ReadGtfsOptions,
): Promise<boolean> {
  const bytes = files.get(file);
  if (!bytes) return false;
  const parser = parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true });
  const chunkSize = 1 << 20;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) {
    chunks.push(Buffer.from(bytes.buffer, bytes.byteOffset + i, Math.min(chunkSize, bytes.length - i)));
  }
  Readable.from(chunks).pipe(parser);
  let columns: Map<string, number> | undefined;
  let record: string[] = [];
  let rows = 0;
  const row: Row = {
    line: 0,
    get(column) {
      const index = columns!.get(column);
      return index === undefined ? '' : (record[index] ?? '').trim();
    },
  };
  try {
    for await (const item of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; bytes: number };
    }>) {
      if (!columns) {
        columns = new Map(item.record.map((name, i) => [name.trim(), i]));
        for (const column of required) {
          if (!columns.has(column)) throw gtfsInvalid(file, 1, column, 'required column is missing');
        }
        continue;
      }
      record = item.record;
      if (record.length === 1 && record[0].trim() === '') continue;
      row.line = item.info.lines;
      onRow(row);
      rows++;
      if (options.onProgress && rows % 10_000 === 0) {
        options.onProgress({ file, rows, bytes: item.info.bytes, totalBytes: bytes.length });
      }
    }
  } catch (error) {
    if (error instanceof Problem) throw error;
    const e = error as Error & { lines?: number };
    throw feedProblem(`${file} line ${e.lines ?? '?'}: not valid CSV (${e.message})`, file);
  }
  if (!columns) throw feedProblem(`${file} is empty: it needs at least a header line`, file);
  options.onProgress?.({ file, rows, bytes: bytes.length, totalBytes: bytes.length });
  return true;
}

function requireFile(files: Map<string, Uint8Array>, file: string): void {
  if (!files.has(file)) throw feedProblem(`the feed has no ${file}, which GTFS requires`, file);
}

function need(row: Row, file: string, column: string): string {
  const value = row.get(column);
  if (value === '') throw gtfsInvalid(file, row.line, column, 'a value is required');
  return value;
}

function intField(
  row: Row,
  file: string,
  column: string,
  min: number,
  max: number,
  fallback?: number,
): number {
  const text = row.get(column);
  if (text === '' && fallback !== undefined) return fallback;
  const value = Number(text);
  if (text === '' || !Number.isInteger(value) || value < min || value > max) {
    throw gtfsInvalid(file, row.line, column, `"${text}" is not an integer from ${min} to ${max}`);
  }
  return value;
}

function coordinate(row: Row, file: string, column: string, limit: number): number {
  const text = row.get(column);
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || Math.abs(value) > limit) {
    throw gtfsInvalid(file, row.line, column, `"${text}" is not a coordinate within ±${limit}`);
  }
  return value;
}

function dateField(row: Row, file: string, column: string, optional = false): number | undefined {
  const text = row.get(column);
  if (text === '' && optional) return undefined;
  const day = tryParseDate(text);
  if (day === undefined) throw gtfsInvalid(file, row.line, column, `"${text}" is not a date (YYYYMMDD)`);
  return day;
}

function timeField(row: Row, file: string, column: string, optional: boolean): number {
  const text = row.get(column);
  if (text === '' && optional) return -1;
  const seconds = tryParseTime(text);
  if (seconds === undefined) throw gtfsInvalid(file, row.line, column, `"${text}" is not a time (HH:MM:SS)`);
  return seconds;
}

function lookup(ids: Map<string, number>, row: Row, file: string, column: string, what: string): number {
  const id = need(row, file, column);
  const index = ids.get(id);
  if (index === undefined) throw gtfsInvalid(file, row.line, column, `unknown ${what} "${id}"`);
  return index;
}

const weekdayColumns = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** The feed hash without parsing: cheap enough to decide whether a cached timetable is still good. */
export function feedHash(source: string): string {
  return hashFeedFiles(readFeedFiles(source));
}

export async function readGtfs(source: string, options: ReadGtfsOptions = {}): Promise<Feed> {
  const files = readFeedFiles(source);
  for (const file of ['agency.txt', 'stops.txt', 'routes.txt', 'trips.txt', 'stop_times.txt']) {
    requireFile(files, file);
  }
  if (!files.has('calendar.txt') && !files.has('calendar_dates.txt')) {
    throw feedProblem(
      'the feed has neither calendar.txt nor calendar_dates.txt; GTFS requires one',
      'calendar.txt',
    );
  }
  const hash = hashFeedFiles(files);

  let info: GtfsFeedInfo | undefined;
  await readTable(
    files,
    'feed_info.txt',
    ['feed_publisher_name', 'feed_lang'],
    (row) => {
      info ??= {
        publisher: row.get('feed_publisher_name'),
        lang: languageTag(row.get('feed_lang')),
        version: row.get('feed_version'),
        start: dateField(row, 'feed_info.txt', 'feed_start_date', true),
        end: dateField(row, 'feed_info.txt', 'feed_end_date', true),
      };
    },
    options,
  );

  const agencies: GtfsAgency[] = [];
  await readTable(
    files,
    'agency.txt',
    ['agency_name', 'agency_timezone'],
    (row) => {
      const timezone = need(row, 'agency.txt', 'agency_timezone');
      if (!isTimeZone(timezone)) {
        throw gtfsInvalid(
          'agency.txt',
          row.line,
          'agency_timezone',
          `"${timezone}" is not an IANA time zone`,
        );
      }
      agencies.push({
        id: row.get('agency_id'),
        name: need(row, 'agency.txt', 'agency_name'),
        timezone,
        lang: languageTag(row.get('agency_lang')),
      });
    },
    options,
  );
  if (agencies.length === 0) throw feedProblem('agency.txt has no agency', 'agency.txt');
  const timezone = agencies[0].timezone;
  const lang = info?.lang || agencies[0].lang;

  const stops: GtfsStop[] = [];
  const stopIds = new Map<string, number>();
  const parentRefs: { stop: number; id: string; line: number }[] = [];
  await readTable(
    files,
    'stops.txt',
    ['stop_id'],
    (row) => {
      const id = need(row, 'stops.txt', 'stop_id');
      if (stopIds.has(id)) throw gtfsInvalid('stops.txt', row.line, 'stop_id', `duplicate stop_id "${id}"`);
      const locationType = intField(row, 'stops.txt', 'location_type', 0, 4, 0);
      const located = locationType <= 2;
      const name = located ? need(row, 'stops.txt', 'stop_name') : row.get('stop_name');
      const zone = row.get('stop_timezone');
      if (zone !== '' && !isTimeZone(zone)) {
        throw gtfsInvalid('stops.txt', row.line, 'stop_timezone', `"${zone}" is not an IANA time zone`);
      }
      const stop: GtfsStop = {
        id,
        name,
        lat: located ? coordinate(row, 'stops.txt', 'stop_lat', 90) : Number.NaN,
        lon: located ? coordinate(row, 'stops.txt', 'stop_lon', 180) : Number.NaN,
        locationType,
        parent: -1,
        names: name !== '' && lang !== '' ? { [lang]: name } : {},
        timezone: zone,
      };
      const parent = row.get('parent_station');
      if (parent !== '') parentRefs.push({ stop: stops.length, id: parent, line: row.line });
      stopIds.set(id, stops.length);
      stops.push(stop);
    },
    options,
  );
  for (const ref of parentRefs) {
    const parent = stopIds.get(ref.id);
    if (parent === undefined) {
      throw gtfsInvalid('stops.txt', ref.line, 'parent_station', `unknown stop "${ref.id}"`);
    }
    stops[ref.stop].parent = parent;
  }
  // Zones resolve through parents (a boarding area's platform's station), up to a parentless stop.
  const zoneOf = (s: number): string => {
    let at = s;
    for (let depth = 0; stops[at].parent >= 0 && depth < 4; depth++) at = stops[at].parent;
    return stops[at].timezone || timezone;
  };
  const zones = stops.map((_, s) => zoneOf(s));
  zones.forEach((zone, s) => {
    stops[s].timezone = zone;
  });

  const routes: GtfsRoute[] = [];
  const routeIds = new Map<string, number>();
  await readTable(
    files,
    'routes.txt',
    ['route_id', 'route_type'],
    (row) => {
      const id = need(row, 'routes.txt', 'route_id');
      if (routeIds.has(id))
        throw gtfsInvalid('routes.txt', row.line, 'route_id', `duplicate route_id "${id}"`);
      const shortName = row.get('route_short_name');
      const longName = row.get('route_long_name');
      if (shortName === '' && longName === '') {
        throw gtfsInvalid('routes.txt', row.line, 'route_short_name', 'a route needs a short or a long name');
      }
      routeIds.set(id, routes.length);
      routes.push({
        id,
        agencyId: row.get('agency_id'),
        shortName,
        longName,
        longNames: {},
        type: intField(row, 'routes.txt', 'route_type', 0, 1999),
        color: colorField(row.get('route_color'), row.line),
      });
    },
    options,
  );

  const services: GtfsService[] = [];
  const serviceIds = new Map<string, number>();
  const serviceFor = (id: string): GtfsService => {
    let index = serviceIds.get(id);
    if (index === undefined) {
      index = services.length;
      serviceIds.set(id, index);
      services.push({ id, weekdays: 0, start: undefined, end: undefined, added: [], removed: [] });
    }
    return services[index];
  };
  await readTable(
    files,
    'calendar.txt',
    ['service_id', ...weekdayColumns, 'start_date', 'end_date'],
    (row) => {
      const service = serviceFor(need(row, 'calendar.txt', 'service_id'));
      if (service.start !== undefined) {
        throw gtfsInvalid('calendar.txt', row.line, 'service_id', `duplicate service_id "${service.id}"`);
      }
      weekdayColumns.forEach((column, i) => {
        if (intField(row, 'calendar.txt', column, 0, 1) === 1) service.weekdays |= 1 << i;
      });
      service.start = dateField(row, 'calendar.txt', 'start_date');
      service.end = dateField(row, 'calendar.txt', 'end_date');
      if (service.end! < service.start!) {
        throw gtfsInvalid('calendar.txt', row.line, 'end_date', 'end_date is before start_date');
      }
    },
    options,
  );
  await readTable(
    files,
    'calendar_dates.txt',
    ['service_id', 'date', 'exception_type'],
    (row) => {
      const service = serviceFor(need(row, 'calendar_dates.txt', 'service_id'));
      const day = dateField(row, 'calendar_dates.txt', 'date')!;
      const type = intField(row, 'calendar_dates.txt', 'exception_type', 1, 2);
      (type === 1 ? service.added : service.removed).push(day);
    },
    options,
  );

  const trips: GtfsTrip[] = [];
  const tripIds = new Map<string, number>();
  await readTable(
    files,
    'trips.txt',
    ['route_id', 'service_id', 'trip_id'],
    (row) => {
      const id = need(row, 'trips.txt', 'trip_id');
      if (tripIds.has(id)) throw gtfsInvalid('trips.txt', row.line, 'trip_id', `duplicate trip_id "${id}"`);
      tripIds.set(id, trips.length);
      trips.push({
        id,
        route: lookup(routeIds, row, 'trips.txt', 'route_id', 'route'),
        service: lookup(serviceIds, row, 'trips.txt', 'service_id', 'service'),
        headsign: row.get('trip_headsign'),
        shortName: row.get('trip_short_name'),
      });
    },
    options,
  );

  const raw = {
    trip: [] as number[],
    seq: [] as number[],
    stop: [] as number[],
    arrival: [] as number[],
    departure: [] as number[],
    flags: [] as number[],
    line: [] as number[],
  };
  const stopTimesRequired = ['trip_id', 'stop_id', 'stop_sequence', 'arrival_time', 'departure_time'];
  await readTable(
    files,
    'stop_times.txt',
    stopTimesRequired,
    (row) => {
      const file = 'stop_times.txt';
      raw.trip.push(lookup(tripIds, row, file, 'trip_id', 'trip'));
      raw.stop.push(lookup(stopIds, row, file, 'stop_id', 'stop'));
      raw.seq.push(intField(row, file, 'stop_sequence', 0, 2 ** 31 - 1));
      let arrival = timeField(row, file, 'arrival_time', true);
      let departure = timeField(row, file, 'departure_time', true);
      if (arrival < 0) arrival = departure;
      if (departure < 0) departure = arrival;
      if (departure < arrival) {
        throw gtfsInvalid(
          file,
          row.line,
          'departure_time',
          `departure ${row.get('departure_time')} is before arrival`,
        );
      }
      raw.arrival.push(arrival);
      raw.departure.push(departure);
      const noPickup = intField(row, file, 'pickup_type', 0, 3, 0) === 1 ? 1 : 0;
      const noDropOff = intField(row, file, 'drop_off_type', 0, 3, 0) === 1 ? 2 : 0;
      raw.flags.push(noPickup | noDropOff);
      raw.line.push(row.line);
    },
    options,
  );

  const frequencies: { trip: number; start: number; end: number; headway: number }[] = [];
  await readTable(
    files,
    'frequencies.txt',
    ['trip_id', 'start_time', 'end_time', 'headway_secs'],
    (row) => {
      const file = 'frequencies.txt';
      const start = timeField(row, file, 'start_time', false);
      const end = timeField(row, file, 'end_time', false);
      if (end < start) throw gtfsInvalid(file, row.line, 'end_time', 'end_time is before start_time');
      frequencies.push({
        trip: lookup(tripIds, row, file, 'trip_id', 'trip'),
        start,
        end,
        headway: intField(row, file, 'headway_secs', 1, 86_400),
      });
    },
    options,
  );

  const stopTimes = groupStopTimes(raw, trips.length);
  const expanded = expandFrequencies(trips, stopTimes, frequencies);

  const transfers: GtfsTransfer[] = [];
  await readTable(
    files,
    'transfers.txt',
    ['from_stop_id', 'to_stop_id', 'transfer_type'],
    (row) => {
      const file = 'transfers.txt';
      const type = intField(row, file, 'transfer_type', 0, 5, 0);
      // Types 4 and 5 are trip-to-trip (in-seat) transfers, which this planner does not model.
      if (type > 3) return;
      transfers.push({
        from: lookup(stopIds, row, file, 'from_stop_id', 'stop'),
        to: lookup(stopIds, row, file, 'to_stop_id', 'stop'),
        type,
        minTime: type === 2 ? intField(row, file, 'min_transfer_time', 0, 86_400) : 0,
      });
    },
    options,
  );

  await readTable(
    files,
    'translations.txt',
    ['table_name', 'field_name', 'language', 'translation'],
    (row) => {
      const language = languageTag(need(row, 'translations.txt', 'language'));
      if (row.get('table_name') === 'routes' && row.get('field_name') === 'route_long_name') {
        const translation = need(row, 'translations.txt', 'translation');
        if (row.get('record_id') !== '') {
          routes[lookup(routeIds, row, 'translations.txt', 'record_id', 'route')].longNames[language] =
            translation;
        } else {
          for (const route of routes)
            if (route.longName === row.get('field_value')) route.longNames[language] = translation;
        }
        return;
      }
      if (row.get('table_name') !== 'stops' || row.get('field_name') !== 'stop_name') return;
      const translation = need(row, 'translations.txt', 'translation');
      const recordId = row.get('record_id');
      if (recordId !== '') {
        stops[lookup(stopIds, row, 'translations.txt', 'record_id', 'stop')].names[language] = translation;
        return;
      }
      const value = row.get('field_value');
      if (value === '') {
        throw gtfsInvalid(
          'translations.txt',
          row.line,
          'record_id',
          'either record_id or field_value is required',
        );
      }
      for (const stop of stops) if (stop.name === value) stop.names[language] = translation;
    },
    options,
  );

  return {
    hash,
    agencies,
    timezone,
    lang,
    info,
    stops,
    routes,
    services,
    trips: expanded.trips,
    stopTimes: expanded.stopTimes,
    transfers,
  };
}

/** Sorts rows by trip and stop_sequence, checks the order, and fills times left blank between timepoints. */
function groupStopTimes(
  raw: {
    trip: number[];
    seq: number[];
    stop: number[];
    arrival: number[];
    departure: number[];
    flags: number[];
    line: number[];
  },
  tripCount: number,
): GtfsStopTimes {
  const n = raw.trip.length;
  const tripStart = new Int32Array(tripCount + 1);
  for (let i = 0; i < n; i++) tripStart[raw.trip[i] + 1]++;
  for (let t = 0; t < tripCount; t++) tripStart[t + 1] += tripStart[t];
  const fill = tripStart.slice(0, tripCount);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[raw.trip[i]]++] = i;

  const stop = new Int32Array(n);
  const arrival = new Int32Array(n);
  const departure = new Int32Array(n);
  const noPickup = new Uint8Array(n);
  const noDropOff = new Uint8Array(n);
  const file = 'stop_times.txt';
  for (let t = 0; t < tripCount; t++) {
    const from = tripStart[t];
    const to = tripStart[t + 1];
    const rows = Array.from(order.subarray(from, to));
    rows.sort((a, b) => raw.seq[a] - raw.seq[b] || raw.line[a] - raw.line[b]);
    for (let j = 0; j < rows.length; j++) {
      const r = rows[j];
      if (j > 0 && raw.seq[r] === raw.seq[rows[j - 1]]) {
        throw gtfsInvalid(
          file,
          raw.line[r],
          'stop_sequence',
          `stop_sequence ${raw.seq[r]} repeats in the trip`,
        );
      }
      stop[from + j] = raw.stop[r];
      arrival[from + j] = raw.arrival[r];
      departure[from + j] = raw.departure[r];
      noPickup[from + j] = raw.flags[r] & 1;
      noDropOff[from + j] = (raw.flags[r] >> 1) & 1;
    }
    if (rows.length === 0) continue;
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (raw.departure[first] < 0) {
      throw gtfsInvalid(file, raw.line[first], 'departure_time', 'the first stop of a trip needs a time');
    }
    if (raw.arrival[last] < 0) {
      throw gtfsInvalid(file, raw.line[last], 'arrival_time', 'the last stop of a trip needs a time');
    }
    // Stops without times get times spread evenly between the surrounding timepoints.
    let known = from;
    for (let j = from + 1; j < to; j++) {
      if (arrival[j] < 0) continue;
      const gap = j - known;
      for (let g = 1; g < gap; g++) {
        const time = Math.round(departure[known] + ((arrival[j] - departure[known]) * g) / gap);
        arrival[known + g] = time;
        departure[known + g] = time;
      }
      if (arrival[j] < departure[known]) {
        const r = rows[j - from];
        throw gtfsInvalid(file, raw.line[r], 'arrival_time', 'time goes backwards along the trip');
      }
      known = j;
    }
  }
  return { tripStart, stop, arrival, departure, noPickup, noDropOff };
}

/** Turns each frequency-based trip into concrete trips, one per headway, replacing the template. */
function expandFrequencies(
  trips: GtfsTrip[],
  stopTimes: GtfsStopTimes,
  frequencies: { trip: number; start: number; end: number; headway: number }[],
): { trips: GtfsTrip[]; stopTimes: GtfsStopTimes } {
  if (frequencies.length === 0) return { trips, stopTimes };
  const byTrip = new Map<number, typeof frequencies>();
  for (const f of frequencies) {
    const list = byTrip.get(f.trip) ?? [];
    list.push(f);
    byTrip.set(f.trip, list);
  }
  const outTrips: GtfsTrip[] = [];
  const cols = {
    stop: [] as number[],
    arrival: [] as number[],
    departure: [] as number[],
    pu: [] as number[],
  };
  const dropOff: number[] = [];
  const tripStart: number[] = [0];
  const copy = (t: number, shift: number) => {
    for (let i = stopTimes.tripStart[t]; i < stopTimes.tripStart[t + 1]; i++) {
      cols.stop.push(stopTimes.stop[i]);
      cols.arrival.push(stopTimes.arrival[i] + shift);
      cols.departure.push(stopTimes.departure[i] + shift);
      cols.pu.push(stopTimes.noPickup[i]);
      dropOff.push(stopTimes.noDropOff[i]);
    }
    tripStart.push(cols.stop.length);
  };
  for (let t = 0; t < trips.length; t++) {
    const list = byTrip.get(t);
    if (!list) {
      outTrips.push(trips[t]);
      copy(t, 0);
      continue;
    }
    const first = stopTimes.tripStart[t];
    if (first === stopTimes.tripStart[t + 1]) continue;
    const base = stopTimes.departure[first];
    for (const f of list) {
      for (let start = f.start; start < f.end; start += f.headway) {
        outTrips.push({ ...trips[t], id: `${trips[t].id}@${start}` });
        copy(t, start - base);
      }
    }
  }
  return {
    trips: outTrips,
    stopTimes: {
      tripStart: Int32Array.from(tripStart),
      stop: Int32Array.from(cols.stop),
      arrival: Int32Array.from(cols.arrival),
      departure: Int32Array.from(cols.departure),
      noPickup: Uint8Array.from(cols.pu),
      noDropOff: Uint8Array.from(dropOff),
    },
  };
}
