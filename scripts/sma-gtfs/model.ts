/**
 * The SMA rail line table (data/regions/sma/gtfs/lines.json) and the timetable it expands to.
 *
 * The table is hand-edited, so loading it checks every reference and says exactly what is wrong; the
 * expansion is a pure function of the table, so the feeds come out byte-identical on every run.
 */
import { readFileSync } from 'node:fs';

export type FeedId = 'today' | '2022';
export const FEED_IDS: readonly FeedId[] = ['today', '2022'];

export interface Names {
  zh: string;
  en: string;
}

export interface Station extends Names {
  id: string;
  lonLat: [number, number];
  city: string;
  /** Names the station bore in the 2022 feed, when it was renamed since. */
  names2022?: Names;
  approxCoords?: boolean;
  note?: string;
}

export interface LineStop {
  at: string;
  /** Minutes from the previous station for a train stopping at both; absent on the first station. */
  run?: number;
  /** Minutes stopped when the train calls here. */
  dwell?: number;
}

export interface LineService {
  first: { down: string; up: string };
  last: { down: string; up: string };
  headway: { peak: number; offpeak: number };
  /** Pattern ids taken in turn by successive trips of each direction. */
  cycle: string[];
}

export type LineKind = 'hsr' | 'conventional' | 'suburban';

export interface Line {
  id: string;
  shortName: string;
  kind: LineKind;
  color: string;
  name: Names;
  corridor: string;
  opened: string;
  passSavingMin: number;
  stops: LineStop[];
  patterns: Record<string, 'all' | string[]>;
  service: Partial<Record<FeedId, LineService>>;
  truncated?: string;
  sources: string;
}

export interface FeedMeta {
  start: string;
  end: string;
  version: string;
  representativeDate: string;
  description: string;
}

export interface TimeBand {
  from: string;
  to: string;
  band: 'peak' | 'offpeak';
}

export interface Agency {
  id: string;
  name: string;
  url: string;
  timezone: string;
  lang: string;
  phone: string;
}

export interface LineTable {
  feeds: Record<FeedId, FeedMeta>;
  timeBands: TimeBand[];
  transfers: { defaultSeconds: number; bySeconds: Record<string, number> };
  agency: Agency;
  stations: Station[];
  lines: Line[];
}

export interface StopTime {
  station: string;
  /** Seconds since the start of the service day (GTFS time), so a late train passes 24:00:00. */
  arrival: number;
  departure: number;
}

export interface Trip {
  id: string;
  line: string;
  service: string;
  direction: 0 | 1;
  pattern: string;
  headsign: string;
  stopTimes: StopTime[];
}

export class TableError extends Error {}

export function parseClock(text: string, where: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) throw new TableError(`${where}: "${text}" is not HH:MM`);
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (Number(match[2]) > 59 || minutes > 30 * 60) throw new TableError(`${where}: "${text}" is out of range`);
  return minutes;
}

export function loadLineTable(file: string): LineTable {
  const table = JSON.parse(readFileSync(file, 'utf8')) as LineTable;
  checkTable(table);
  return table;
}

function checkTable(table: LineTable): void {
  const stationIds = new Set<string>();
  for (const station of table.stations) {
    if (stationIds.has(station.id)) throw new TableError(`station ${station.id}: duplicate id`);
    stationIds.add(station.id);
    const [lon, lat] = station.lonLat;
    if (!(lon > 118 && lon < 123 && lat > 28.5 && lat < 33.5)) {
      throw new TableError(`station ${station.id}: [${lon}, ${lat}] is outside the SMA's neighbourhood`);
    }
  }
  const lineIds = new Set<string>();
  for (const line of table.lines) {
    const where = `line ${line.id}`;
    if (lineIds.has(line.id)) throw new TableError(`${where}: duplicate id`);
    lineIds.add(line.id);
    if (!/^[0-9A-F]{6}$/.test(line.color))
      throw new TableError(`${where}: color "${line.color}" is not RRGGBB`);
    if (line.stops.length < 2) throw new TableError(`${where}: needs at least two stations`);
    const order = new Map<string, number>();
    line.stops.forEach((stop, i) => {
      if (!stationIds.has(stop.at)) throw new TableError(`${where}: unknown station "${stop.at}"`);
      if (order.has(stop.at)) throw new TableError(`${where}: station "${stop.at}" listed twice`);
      order.set(stop.at, i);
      if (i > 0 && !(typeof stop.run === 'number' && stop.run > 0)) {
        throw new TableError(`${where}: station "${stop.at}" needs a positive run time`);
      }
    });
    for (const [id, pattern] of Object.entries(line.patterns)) {
      if (pattern === 'all') continue;
      if (pattern.length < 2) throw new TableError(`${where}: pattern ${id} serves fewer than two stations`);
      let previous = -1;
      for (const at of pattern) {
        const index = order.get(at);
        if (index === undefined)
          throw new TableError(`${where}: pattern ${id} names "${at}", not on the line`);
        if (index <= previous)
          throw new TableError(`${where}: pattern ${id} is not in line order at "${at}"`);
        previous = index;
      }
    }
    for (const feed of FEED_IDS) {
      const service = line.service[feed];
      if (!service) continue;
      const at = `${where}, ${feed}`;
      if (service.cycle.length === 0) throw new TableError(`${at}: empty cycle`);
      for (const id of service.cycle) {
        if (!(id in line.patterns)) throw new TableError(`${at}: cycle names unknown pattern "${id}"`);
      }
      if (!(service.headway.peak > 0 && service.headway.offpeak > 0))
        throw new TableError(`${at}: bad headway`);
      for (const direction of ['down', 'up'] as const) {
        if (parseClock(service.first[direction], at) > parseClock(service.last[direction], at)) {
          throw new TableError(`${at}: first ${direction} departure is after the last`);
        }
      }
      if (feed === '2022' && line.opened > table.feeds['2022'].end) {
        throw new TableError(`${at}: the line opened ${line.opened}, after the 2022 feed`);
      }
    }
  }
}

export function stationNames(station: Station, feed: FeedId): Names {
  return feed === '2022' && station.names2022 ? station.names2022 : { zh: station.zh, en: station.en };
}

/** The service id of a line in a feed: daily, or daily from its opening day when it opened within the feed. */
export function serviceIdFor(line: Line, meta: FeedMeta): string {
  return line.opened > meta.start ? `from-${line.opened.replaceAll('-', '')}` : 'daily';
}

function headwayAt(minute: number, service: LineService, bands: TimeBand[]): number {
  for (const band of bands) {
    if (minute >= parseClock(band.from, 'timeBands') && minute < parseClock(band.to, 'timeBands')) {
      return service.headway[band.band];
    }
  }
  return service.headway.offpeak;
}

/** Expands one line's service in one feed into trips, down (table order) then up (reverse). */
export function expandLine(line: Line, feed: FeedId, table: LineTable): Trip[] {
  const service = line.service[feed];
  if (!service) return [];
  const serviceId = serviceIdFor(line, table.feeds[feed]);
  const byId = new Map(table.stations.map((station) => [station.id, station]));
  const trips: Trip[] = [];
  for (const direction of ['down', 'up'] as const) {
    const where = `line ${line.id}, ${feed}, ${direction}`;
    const first = parseClock(service.first[direction], where);
    const last = parseClock(service.last[direction], where);
    let n = 0;
    for (let minute = first; minute <= last; minute += headwayAt(minute, service, table.timeBands)) {
      const patternId = service.cycle[n % service.cycle.length];
      const stopTimes = runPattern(line, patternId, direction, minute);
      const terminus = byId.get(stopTimes[stopTimes.length - 1].station)!;
      n += 1;
      trips.push({
        id: `${line.id}-${direction === 'down' ? 'd' : 'u'}${String(n).padStart(3, '0')}`,
        line: line.id,
        service: serviceId,
        direction: direction === 'down' ? 0 : 1,
        pattern: patternId,
        headsign: stationNames(terminus, feed).zh,
        stopTimes,
      });
    }
  }
  return trips;
}

function runPattern(
  line: Line,
  patternId: string,
  direction: 'down' | 'up',
  startMinute: number,
): StopTime[] {
  const pattern = line.patterns[patternId];
  const served = new Set(pattern === 'all' ? line.stops.map((stop) => stop.at) : pattern);
  // Segment i joins stops[i] and stops[i + 1]; its time is stops[i + 1].run in either direction.
  const indices = line.stops.map((_, i) => i).filter((i) => served.has(line.stops[i].at));
  if (direction === 'up') indices.reverse();
  const stopTimes: StopTime[] = [];
  let clock = startMinute;
  for (let k = 0; k < indices.length; k += 1) {
    const here = indices[k];
    if (k > 0) {
      const from = indices[k - 1];
      const lo = Math.min(from, here);
      const hi = Math.max(from, here);
      let run = 0;
      for (let i = lo + 1; i <= hi; i += 1) run += line.stops[i].run!;
      run -= line.passSavingMin * (hi - lo - 1);
      clock += run;
    }
    const isEnd = k === 0 || k === indices.length - 1;
    const dwell = isEnd ? 0 : (line.stops[here].dwell ?? 2);
    stopTimes.push({ station: line.stops[here].at, arrival: clock * 60, departure: (clock + dwell) * 60 });
    clock += dwell;
  }
  return stopTimes;
}
