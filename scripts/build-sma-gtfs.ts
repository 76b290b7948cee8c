/**
 * Builds the SMA rail pack's two GTFS feeds (today/ and 2022/) from the line table
 * data/regions/sma/gtfs/lines.json, then reads them back, validates them and prints a check report as
 * JSON. Exits 1 when a feed is invalid or misses one of the pack's targets, 2 when the table is broken.
 *
 *   npx tsx scripts/build-sma-gtfs.ts
 *
 * Deterministic: the same table always gives byte-identical feeds.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readGtfs } from '../src/transit/gtfs.ts';
import {
  type DirectTimes,
  directTimes,
  firstJourney,
  type Journey,
  maxDepartureGap,
  readFeedTables,
  tripsOn,
  validateFeed,
} from './sma-gtfs/check.ts';
import { assembleFeed, writeFeed } from './sma-gtfs/gtfs.ts';
import { expandLine, FEED_IDS, type FeedId, loadLineTable, TableError, type Trip } from './sma-gtfs/model.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PACK = path.join(ROOT, 'data/regions/sma/gtfs');
const HONGQIAO = 'shanghai_hongqiao';
const MAX_STOP_TIMES_BYTES = 5_000_000;

/** Direct travel times the pack promises, with the range (minutes) the fastest direct train must fall in. */
const SAMPLES: { from: string; to: string; range: Partial<Record<FeedId, [number, number]>> }[] = [
  { from: HONGQIAO, to: 'suzhou_north', range: { today: [22, 30], '2022': [22, 30] } },
  { from: HONGQIAO, to: 'hangzhou_east', range: { today: [42, 62], '2022': [42, 62] } },
  { from: HONGQIAO, to: 'huzhou_east', range: { today: [50, 66] } },
  // Published at the line's opening: Shanghai Hongqiao–Huzhou fastest 55 minutes.
  { from: HONGQIAO, to: 'huzhou', range: { today: [52, 60] } },
  { from: 'shanghai', to: 'nantong_west', range: { today: [58, 75], '2022': [58, 75] } },
];

/** Journeys (any number of trains, minimum transfer times) leaving from 08:00 on the representative day. */
const JOURNEYS: [string, string][] = [
  [HONGQIAO, 'huzhou'],
  [HONGQIAO, 'huzhou_east'],
  [HONGQIAO, 'pudong_airport'],
  [HONGQIAO, 'nantong_west'],
  ['suzhou', 'ningbo'],
  ['nantong', 'hangzhou_east'],
  ['jiangyin', 'shanghai'],
];

interface FeedReport {
  dir: string;
  representativeDate: string;
  lines: number;
  stops: number;
  trips: number;
  departuresOnRepresentativeDay: number;
  hongqiaoMaxGapMinutes0700to0900: number;
  hongqiaoDepartures0700to0900: number;
  directTimes: Record<string, DirectTimes>;
  journeysFrom0800: Record<string, Journey>;
  stopTimesBytes: number;
  validationProblems: string[];
  readGtfs: string;
}

async function main(): Promise<number> {
  const table = loadLineTable(path.join(PACK, 'lines.json'));
  const tripsByFeed = new Map<FeedId, Trip[]>();
  for (const feed of FEED_IDS) {
    tripsByFeed.set(
      feed,
      table.lines.flatMap((line) => expandLine(line, feed, table)),
    );
  }
  const servedAnywhere = new Set(
    [...tripsByFeed.values()].flatMap((trips) =>
      trips.flatMap((trip) => trip.stopTimes.map((s) => s.station)),
    ),
  );

  const reports = {} as Record<FeedId, FeedReport>;
  for (const feed of FEED_IDS) {
    const dir = path.join(PACK, feed);
    const content = assembleFeed(table, feed, tripsByFeed.get(feed)!, servedAnywhere);
    const sizes = writeFeed(table, content, dir);
    reports[feed] = await checkFeed(
      dir,
      sizes.get('stop_times.txt') ?? 0,
      table.feeds[feed].representativeDate,
    );
  }

  const failures = targetFailures(reports);
  const unserved = table.stations.filter((station) => !servedAnywhere.has(station.id)).map((s) => s.id);
  console.log(
    JSON.stringify(
      { ok: failures.length === 0, failures, feeds: reports, stationsWithoutTrainsNotExported: unserved },
      null,
      2,
    ),
  );
  return failures.length === 0 ? 0 : 1;
}

async function checkFeed(dir: string, stopTimesBytes: number, date: string): Promise<FeedReport> {
  const tables = readFeedTables(dir);
  const running = tripsOn(tables, date);
  const from = 7 * 3600;
  const to = 9 * 3600;
  let hongqiaoDepartures = 0;
  for (const tripId of running) {
    const list = tables.stopTimes.get(tripId)!;
    list.forEach((stopTime, i) => {
      if (
        stopTime.stop === HONGQIAO &&
        i < list.length - 1 &&
        stopTime.departure >= from &&
        stopTime.departure <= to
      ) {
        hongqiaoDepartures += 1;
      }
    });
  }
  let readGtfsResult = 'ok';
  try {
    const parsed = await readGtfs(dir);
    if (parsed.trips.length !== tables.trips.size || parsed.stops.length !== tables.stops.size) {
      readGtfsResult = 'src/transit/gtfs.ts read different counts';
    }
  } catch (error) {
    readGtfsResult = `src/transit/gtfs.ts rejected the feed: ${(error as Error).message}`;
  }
  return {
    dir: path.relative(ROOT, dir),
    representativeDate: date,
    lines: tables.routes.size,
    stops: tables.stops.size,
    trips: tables.trips.size,
    departuresOnRepresentativeDay: running.length,
    hongqiaoMaxGapMinutes0700to0900: maxDepartureGap(tables, running, HONGQIAO, from, to) / 60,
    hongqiaoDepartures0700to0900: hongqiaoDepartures,
    directTimes: Object.fromEntries(
      SAMPLES.map((sample) => [
        `${sample.from}→${sample.to}`,
        directTimes(tables, running, sample.from, sample.to),
      ]),
    ),
    journeysFrom0800: Object.fromEntries(
      JOURNEYS.map(([a, b]) => [`${a}→${b}`, firstJourney(tables, running, a, b, 8 * 3600)]),
    ),
    stopTimesBytes,
    validationProblems: validateFeed(tables),
    readGtfs: readGtfsResult,
  };
}

function targetFailures(reports: Record<FeedId, FeedReport>): string[] {
  const failures: string[] = [];
  const today = reports.today;
  const past = reports['2022'];
  for (const feed of FEED_IDS) {
    const report = reports[feed];
    if (report.validationProblems.length > 0) failures.push(`${feed}: GTFS validation found problems`);
    if (report.readGtfs !== 'ok') failures.push(`${feed}: ${report.readGtfs}`);
    if (report.stopTimesBytes > MAX_STOP_TIMES_BYTES) failures.push(`${feed}: stop_times.txt exceeds 5 MB`);
    for (const sample of SAMPLES) {
      const range = sample.range[feed];
      const fastest = report.directTimes[`${sample.from}→${sample.to}`].fastestMinutes;
      if (range && (fastest === null || fastest < range[0] || fastest > range[1])) {
        failures.push(
          `${feed}: fastest ${sample.from}→${sample.to} is ${fastest} min, outside ${range[0]}–${range[1]}`,
        );
      }
    }
  }
  if (today.lines !== 23) failures.push(`today: ${today.lines} lines, not 23`);
  if (today.departuresOnRepresentativeDay < 500) {
    failures.push(`today: ${today.departuresOnRepresentativeDay} departures a day, fewer than 500`);
  }
  if (today.hongqiaoMaxGapMinutes0700to0900 > 4) {
    failures.push(
      `today: a ${today.hongqiaoMaxGapMinutes0700to0900}-minute gap at Hongqiao 07:00–09:00, over 4`,
    );
  }
  if (past.lines >= today.lines) failures.push('2022: should have fewer lines than today');
  if (past.departuresOnRepresentativeDay >= today.departuresOnRepresentativeDay) {
    failures.push('2022: should have fewer departures than today');
  }
  if (past.directTimes[`${HONGQIAO}→huzhou_east`].trips > 0)
    failures.push('2022: no direct Hongqiao–Huzhou East train existed');
  const huzhouToday = today.journeysFrom0800[`${HONGQIAO}→huzhou`].minutes;
  const huzhouPast = past.journeysFrom0800[`${HONGQIAO}→huzhou`].minutes;
  if (huzhouPast === null || huzhouToday === null || huzhouPast <= huzhouToday) {
    failures.push('2022: Hongqiao→Huzhou should exist and be slower than today');
  }
  return failures;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof TableError) {
      console.error(`lines.json: ${error.message}`);
      process.exit(2);
    }
    console.error(error);
    process.exit(2);
  },
);
