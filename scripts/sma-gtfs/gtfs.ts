/**
 * Writes one GTFS feed (plain .txt CSV files in a folder) from the expanded SMA timetable.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  type FeedId,
  type Line,
  type LineKind,
  type LineTable,
  type Station,
  serviceIdFor,
  stationNames,
  type Trip,
} from './model.ts';

export interface FeedContent {
  feed: FeedId;
  stations: Station[];
  lines: Line[];
  trips: Trip[];
  /** Service id → first day it runs (YYYYMMDD). */
  services: Map<string, string>;
  transfers: { station: string; seconds: number }[];
}

const ROUTE_TYPE: Record<LineKind, number> = { hsr: 101, conventional: 102, suburban: 109 };

export function routeType(kind: LineKind): number {
  return ROUTE_TYPE[kind];
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csv(header: string[], rows: (string | number)[][]): string {
  return `${[header, ...rows].map((row) => row.map(csvField).join(',')).join('\n')}\n`;
}

export function formatTime(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h, m, s].map((part) => String(part).padStart(2, '0')).join(':');
}

function compactDate(isoDate: string): string {
  return isoDate.replaceAll('-', '');
}

function textColor(hex: string): string {
  const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return 0.299 * r + 0.587 * g + 0.114 * b > 160 ? '000000' : 'FFFFFF';
}

/**
 * Assembles a feed: the stops are every station served in any feed, so the two feeds share stop ids and
 * a station that had no train in 2022 is still there to compare with.
 */
export function assembleFeed(
  table: LineTable,
  feed: FeedId,
  trips: Trip[],
  servedAnywhere: Set<string>,
): FeedContent {
  const meta = table.feeds[feed];
  const lines = table.lines.filter((line) => line.service[feed]);
  const services = new Map<string, string>();
  for (const line of lines) {
    const id = serviceIdFor(line, meta);
    services.set(id, id === 'daily' ? compactDate(meta.start) : compactDate(line.opened));
  }
  const servedHere = new Set(trips.flatMap((trip) => trip.stopTimes.map((stopTime) => stopTime.station)));
  const stations = table.stations.filter((station) => servedAnywhere.has(station.id));
  // Every served station gets its minimum transfer time, also where one line calls: changing between two
  // trains of one line (say a stopping and an express) still takes time on the platform.
  const transfers = stations
    .filter((station) => servedHere.has(station.id))
    .map((station) => ({
      station: station.id,
      seconds: table.transfers.bySeconds[station.id] ?? table.transfers.defaultSeconds,
    }));
  return { feed, stations, lines, trips, services, transfers };
}

export function writeFeed(table: LineTable, content: FeedContent, dir: string): Map<string, number> {
  const meta = table.feeds[content.feed];
  const { agency } = table;
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, string>();

  files.set(
    'agency.txt',
    csv(
      ['agency_id', 'agency_name', 'agency_url', 'agency_timezone', 'agency_lang', 'agency_phone'],
      [[agency.id, agency.name, agency.url, agency.timezone, agency.lang, agency.phone]],
    ),
  );
  files.set(
    'stops.txt',
    csv(
      ['stop_id', 'stop_name', 'stop_lat', 'stop_lon', 'location_type'],
      content.stations.map((station) => [
        station.id,
        stationNames(station, content.feed).zh,
        station.lonLat[1].toFixed(4),
        station.lonLat[0].toFixed(4),
        0,
      ]),
    ),
  );
  files.set(
    'routes.txt',
    csv(
      [
        'route_id',
        'agency_id',
        'route_short_name',
        'route_long_name',
        'route_desc',
        'route_type',
        'route_color',
        'route_text_color',
      ],
      content.lines.map((line) => [
        line.id,
        agency.id,
        line.shortName,
        line.name.zh,
        line.corridor,
        routeType(line.kind),
        line.color,
        textColor(line.color),
      ]),
    ),
  );
  files.set(
    'trips.txt',
    csv(
      ['route_id', 'service_id', 'trip_id', 'trip_headsign', 'direction_id'],
      content.trips.map((trip) => [trip.line, trip.service, trip.id, trip.headsign, trip.direction]),
    ),
  );
  const stopTimeRows: (string | number)[][] = [];
  for (const trip of content.trips) {
    trip.stopTimes.forEach((stopTime, i) => {
      stopTimeRows.push([
        trip.id,
        formatTime(stopTime.arrival),
        formatTime(stopTime.departure),
        stopTime.station,
        i + 1,
      ]);
    });
  }
  files.set(
    'stop_times.txt',
    csv(['trip_id', 'arrival_time', 'departure_time', 'stop_id', 'stop_sequence'], stopTimeRows),
  );
  files.set(
    'calendar.txt',
    csv(
      [
        'service_id',
        'monday',
        'tuesday',
        'wednesday',
        'thursday',
        'friday',
        'saturday',
        'sunday',
        'start_date',
        'end_date',
      ],
      [...content.services].map(([id, start]) => [id, 1, 1, 1, 1, 1, 1, 1, start, compactDate(meta.end)]),
    ),
  );
  files.set('calendar_dates.txt', csv(['service_id', 'date', 'exception_type'], []));
  files.set(
    'transfers.txt',
    csv(
      ['from_stop_id', 'to_stop_id', 'transfer_type', 'min_transfer_time'],
      content.transfers.map((transfer) => [transfer.station, transfer.station, 2, transfer.seconds]),
    ),
  );
  files.set(
    'feed_info.txt',
    csv(
      [
        'feed_publisher_name',
        'feed_publisher_url',
        'feed_lang',
        'feed_start_date',
        'feed_end_date',
        'feed_version',
      ],
      [['Tongcheng', '', 'zh-CN', compactDate(meta.start), compactDate(meta.end), meta.version]],
    ),
  );
  const translations: (string | number)[][] = [
    ['agency', 'agency_name', 'en', 'China Railway Shanghai Group', agency.id],
    ...content.stations.map((station) => [
      'stops',
      'stop_name',
      'en',
      stationNames(station, content.feed).en,
      station.id,
    ]),
    ...content.lines.map((line) => ['routes', 'route_long_name', 'en', line.name.en, line.id]),
  ];
  files.set(
    'translations.txt',
    csv(['table_name', 'field_name', 'language', 'translation', 'record_id'], translations),
  );

  const sizes = new Map<string, number>();
  for (const [name, text] of files) {
    writeFileSync(path.join(dir, name), text);
    sizes.set(name, Buffer.byteLength(text));
  }
  return sizes;
}
