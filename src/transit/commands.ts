import { basename } from 'node:path';
import type { Command } from 'commander';
import { problem } from '../lib/errors.ts';
import { matchLanguage, type Name, nameIn } from '../lib/name.ts';
import { progressBar } from '../lib/progress.ts';
import { formatInteger, formatTable } from '../lib/table.ts';
import type { CommandEnv } from '../module.ts';
import { isFeedId } from './feeds.ts';
import type { ArrivalBoard, DepartureBoard, Instant, Stop } from './model.ts';
import { DEFAULT_HORIZON_DAYS } from './raptor.ts';
import type { TransitService } from './service.ts';

/** A stop as the feed names it, and in English where the feed gives that too. */
const stopName = (s: Stop) => {
  const en = matchLanguage('en', Object.keys(s.names));
  return en && s.names[en] !== s.name ? `${s.name} ${s.names[en]}` : s.name;
};
const english = (name: Name) => nameIn(name, ['en']);
const hhmm = (time: string) => time.slice(0, 5);
/** An instant on its stop's clocks; with the date when it is not `date`, and the offset when not `offset`. */
const localText = (at: Instant, ref: { date?: string; offset?: string } = {}) =>
  `${at.localDate === ref.date ? '' : `${at.localDate} `}${hhmm(at.localTime)}${at.utcOffset === ref.offset ? '' : ` (UTC${at.utcOffset})`}`;
function durationText(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const days = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return `${days > 0 ? `${days} d ` : ''}${h} h ${String(m).padStart(2, '0')} min`;
}
const minutes = (m: number | null) => (m === null ? '—' : `${Math.round(m)}`);
const signed = (x: number | null, unit = '') => (x === null ? '—' : `${x > 0 ? '+' : ''}${x}${unit}`);

function integer(text: string, field: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw problem('invalid-number', `${field} must be a whole number; got "${text}"`, field);
  return n;
}

/** At the terminal a feed may be named by id or by the path of a GTFS zip or folder; HTTP takes ids only. */
function feedArg(transit: TransitService, text: string | undefined, field = 'feed'): string | undefined {
  return text === undefined || isFeedId(text) ? text : transit.registerFile(text, field);
}

/** The service, with the `feed` option turned into an id. */
async function withFeed<T extends { feed?: string }>(open: () => Promise<TransitService>, o: T) {
  const transit = await open();
  return { transit, o: { ...o, feed: feedArg(transit, o.feed) } };
}

export function transitCommands(program: Command, { open, print }: CommandEnv<TransitService>): void {
  program
    .command('route')
    .description('journeys between two stations (names in Chinese or English, or stop ids)')
    .requiredOption('--from <stop>', 'where to leave from, e.g. "上海虹桥" or "Shanghai Hongqiao"')
    .requiredOption('--to <stop>', 'where to go')
    .requiredOption('--at <datetime>', 'local departure, e.g. 2026-12-01T08:00')
    .option('--feed <id>', 'feed id, or the path of a GTFS zip or folder (default: the current network)')
    .option('--max-transfers <n>', 'at most this many changes')
    .option(
      '--horizon-days <n>',
      `arrive at most this many days after leaving (default ${DEFAULT_HORIZON_DAYS})`,
    )
    .option('--json', 'print JSON for machines')
    .action(
      async (o: {
        from: string;
        to: string;
        at: string;
        feed?: string;
        maxTransfers?: string;
        horizonDays?: string;
        json?: boolean;
      }) => {
        const { transit, o: q } = await withFeed(open, o);
        const result = await transit.route({
          feed: q.feed,
          from: o.from,
          to: o.to,
          at: o.at,
          maxTransfers: o.maxTransfers === undefined ? undefined : integer(o.maxTransfers, 'max-transfers'),
          horizonDays: o.horizonDays === undefined ? undefined : integer(o.horizonDays, 'horizon-days'),
        });
        if (o.json) return print(JSON.stringify(result, null, 2));
        print(
          `${stopName(result.from)} → ${stopName(result.to)}, leaving from ${result.at.replace('T', ' ')} (feed ${result.feed})`,
        );
        const h = result.searched;
        if (result.journeys.length === 0) {
          return print(
            `no journey arriving by ${localText(h.latestArrival)} (${h.latestArrival.zone}): searched ${h.horizonDays} day${h.horizonDays > 1 ? 's' : ''} ahead, trips of the service dates ${h.serviceDates.first} to ${h.serviceDates.last}`,
          );
        }
        for (const j of result.journeys) {
          const changes = j.transfers === 0 ? 'direct' : `${j.transfers} change${j.transfers > 1 ? 's' : ''}`;
          // Times on each stop's own clocks; the date and the UTC offset only where they change.
          const ref = { date: j.departure.localDate, offset: j.departure.utcOffset };
          print(
            `\n${localText(j.departure, { date: result.at.slice(0, 10), offset: ref.offset })} → ${localText(j.arrival, ref)}  ${durationText(j.duration)}, ${changes}`,
          );
          const fare = (fen: number | null) =>
            fen === null ? '' : `  ${(fen / 100).toFixed(2)} ${j.fare.currency}`;
          j.legs.forEach((leg, i) => {
            if (leg.kind === 'ride') {
              print(
                `  ${localText(leg.departure, ref)}  ${stopName(leg.from)}  ─ ${leg.route.shortName} ${leg.trip.headsign ? `(${leg.trip.headsign}) ` : ''}→ ${localText(leg.arrival, ref)}  ${stopName(leg.to)}${fare(j.fare.legs[i])}`,
              );
            } else {
              print(`  walk ${durationText(leg.duration)}  ${stopName(leg.from)} → ${stopName(leg.to)}`);
            }
          });
          print(
            j.fare.total === null
              ? `  fare: not priced (${j.fare.reason})`
              : `  fare${j.fare.medium ? ` on ${j.fare.medium}` : ''}:${fare(j.fare.total)}`,
          );
        }
      },
    );

  const boardCommand = (name: 'departures' | 'arrivals', description: string) =>
    program
      .command(name)
      .description(description)
      .requiredOption('--stop <stop>', 'station name or id')
      .option(
        '--date <date>',
        'YYYY-MM-DD at the station (default: today if the feed covers it, else a typical weekday)',
      )
      .option('--from <time>', 'window start on the station’s clocks, HH:MM (default 00:00)')
      .option('--to <time>', 'window end on the station’s clocks, HH:MM (default 24:00)')
      .option('--feed <id>', 'feed id, or the path of a GTFS zip or folder')
      .option('--json', 'print JSON for machines');
  const printBoard = (board: DepartureBoard | ArrivalBoard, json: boolean | undefined) => {
    if (json) return print(JSON.stringify(board, null, 2));
    const arriving = 'arrivals' in board;
    const rows = (
      'arrivals' in board
        ? board.arrivals.map((a) => ({ ...a, other: a.origin }))
        : board.departures.map((d) => ({ ...d, other: d.destination }))
    ) as { at: Instant; route: { shortName: string }; trip: { id: string }; other: Stop }[];
    print(
      `${stopName(board.stop)} · ${board.date} ${board.from}–${board.to} (${board.zone}) · feed ${board.feed}\n`,
    );
    print(
      formatTable(rows, [
        {
          header: 'time',
          value: (d) => localText(d.at, { date: board.date, offset: rows[0]?.at.utcOffset }),
        },
        { header: 'line', value: (d) => d.route.shortName },
        { header: 'trip', value: (d) => d.trip.id },
        {
          header: arriving ? 'from' : 'to',
          value: (d) => stopName(d.other),
        },
      ]),
    );
    const h = board.headways;
    const what = arriving ? 'arrivals' : 'departures';
    print(
      h
        ? `\n${h.departures} ${what}; headway median ${h.medianMinutes} min, mean ${h.meanMinutes} min, longest wait ${h.maxMinutes} min`
        : `\nno ${what} in this window`,
    );
  };
  type BoardOptions = {
    stop: string;
    date?: string;
    from: string;
    to: string;
    feed?: string;
    json?: boolean;
  };
  boardCommand('departures', 'the departures board of a station, with headway statistics').action(
    async (o: BoardOptions) => {
      const { transit, o: q } = await withFeed(open, o);
      printBoard(await transit.departures(q), o.json);
    },
  );
  boardCommand('arrivals', 'the arrivals board of a station: trains coming in, and where from').action(
    async (o: BoardOptions) => {
      const { transit, o: q } = await withFeed(open, o);
      printBoard(await transit.arrivals(q), o.json);
    },
  );

  program
    .command('matrix')
    .description(
      'city × city travel times over a departure window (median and percentiles, waiting included)',
    )
    .option('--date <date>', 'YYYY-MM-DD (default: today if covered, else a typical weekday)')
    .option('--window <from-to>', 'departure window', '07:00-09:00')
    .option('--feed <id>', 'feed id, or the path of a GTFS zip or folder')
    .option('--json', 'print JSON for machines')
    .action(async (o: { date?: string; window: string; feed?: string; json?: boolean }) => {
      const progress = progressBar('travel times {bar} {value}/{total} origin cities');
      const { transit, o: q } = await withFeed(open, o);
      const m = await transit.matrix({
        ...q,
        onProgress: (done, total) => progress.update(done, total),
      });
      progress.stop();
      if (o.json) return print(JSON.stringify(m, null, 2));
      print(
        `median minutes, leaving any minute ${m.window.from}–${m.window.to} on ${m.date} (feed ${m.feed}); rows: from, columns: to\n`,
      );
      const cell = new Map(m.cells.map((c) => [`${c.from}>${c.to}`, c]));
      print(
        formatTable(m.places, [
          { header: 'from \\ to', value: (p) => english(p.name) },
          ...m.places.map((to) => ({
            header: english(to.name).slice(0, 9),
            value: (from: (typeof m.places)[number]) =>
              from.id === to.id ? '·' : minutes(cell.get(`${from.id}>${to.id}`)?.median ?? null),
            align: 'right' as const,
          })),
        ]),
      );
    });

  program
    .command('compare')
    .description('scenario comparison: intercity travel times in two feeds')
    .requiredOption(
      '--base <feed>',
      'the feed to compare against: an id (e.g. 2022) or a path to a GTFS zip or folder (./name for one here)',
    )
    .requiredOption(
      '--with <feed>',
      'the feed to compare: an id (e.g. today) or a path to a GTFS zip or folder',
    )
    .option('--window <from-to>', 'departure window', '07:00-09:00')
    .option('--from <stop>', 'compare one station pair instead of all cities: from this station')
    .option('--to <stop>', '… to this one')
    .option('--json', 'print JSON for machines')
    .action(
      async (o: {
        base: string;
        with: string;
        window: string;
        from?: string;
        to?: string;
        json?: boolean;
      }) => {
        const transit = await open();
        const c = await transit.compare({
          ...o,
          base: feedArg(transit, o.base, 'base')!,
          with: feedArg(transit, o.with, 'with')!,
        });
        if (o.json) return print(JSON.stringify(c, null, 2));
        const name = new Map(c.places.map((p) => [p.id, english(p.name)]));
        print(
          `median travel time ${c.window.from}–${c.window.to}: ${c.base.feed} (${c.base.date}) vs ${c.with.feed} (${c.with.date})\n`,
        );
        print(
          formatTable(c.pairs, [
            { header: 'from', value: (p) => name.get(p.from) ?? p.from },
            { header: 'to', value: (p) => name.get(p.to) ?? p.to },
            { header: c.base.feed, value: (p) => minutes(p.base), align: 'right' },
            { header: c.with.feed, value: (p) => minutes(p.with), align: 'right' },
            { header: 'change min', value: (p) => signed(p.changeMinutes), align: 'right' },
            { header: 'change %', value: (p) => signed(p.changePercent, '%'), align: 'right' },
          ]),
        );
        const a = c.average;
        print(
          `\naverage over ${a.pairs} pairs reachable in both: ${a.base} → ${a.with} min (${signed(a.changeMinutes)} min, ${signed(a.changePercent, '%')}); ${c.onlyInWith} pairs reachable only in ${c.with.feed}`,
        );
      },
    );

  const transitCommand = program.command('transit').description('the regional rail network');
  transitCommand
    .command('stats')
    .description('lines, daily departures, busiest stations and peak headways')
    .option('--date <date>', 'YYYY-MM-DD (default: today if covered, else a typical weekday)')
    .option('--window <from-to>', 'peak window for headways', '07:00-09:00')
    .option('--feed <id>', 'feed id, or the path of a GTFS zip or folder')
    .option('--json', 'print JSON for machines')
    .action(async (o: { date?: string; window: string; feed?: string; json?: boolean }) => {
      const { transit, o: q } = await withFeed(open, o);
      const s = await transit.stats(q);
      if (o.json) return print(JSON.stringify(s, null, 2));
      print(
        `feed ${s.feed}, ${s.date}: ${s.lines} lines, ${formatInteger(s.dailyDepartures)} departures a day, ${s.stations} stations\n`,
      );
      print(
        formatTable(s.busiestStations, [
          { header: 'busiest stations', value: (b) => stopName(b.stop) },
          { header: 'departures', value: (b) => formatInteger(b.departures), align: 'right' },
        ]),
      );
      print('');
      print(
        formatTable(s.peakHeadways, [
          {
            header: `headways ${s.peakHeadways[0]?.window.from ?? ''}–${s.peakHeadways[0]?.window.to ?? ''}`,
            value: (h) => stopName(h.stop),
          },
          { header: 'departures', value: (h) => h.departures, align: 'right' },
          { header: 'median min', value: (h) => h.medianMinutes ?? '—', align: 'right' },
          { header: 'longest wait min', value: (h) => h.maxMinutes ?? '—', align: 'right' },
        ]),
      );
    });
  transitCommand
    .command('routes')
    .description('each route’s day: trips, calls at stops, first and last departure')
    .option('--date <date>', 'service date YYYY-MM-DD (default: today if covered, else a typical weekday)')
    .option('--feed <id>', 'feed id, or the path of a GTFS zip or folder')
    .option('--json', 'print JSON for machines')
    .action(async (o: { date?: string; feed?: string; json?: boolean }) => {
      const { transit, o: q } = await withFeed(open, o);
      const r = await transit.routes(q);
      if (o.json) return print(JSON.stringify(r, null, 2));
      print(
        `feed ${r.feed}, service date ${r.date}; first and last departure on the clocks of the stop they leave from\n`,
      );
      const at = (d: (typeof r.routes)[number]['firstDeparture']) =>
        d === null ? '—' : `${localText(d.at, { date: r.date })} ${stopName(d.stop)}`;
      print(
        formatTable(r.routes, [
          { header: 'route', value: (x) => x.route.shortName || x.route.longName },
          { header: 'trips', value: (x) => formatInteger(x.trips), align: 'right' },
          { header: 'stop events', value: (x) => formatInteger(x.stopEvents), align: 'right' },
          { header: 'first departure', value: (x) => at(x.firstDeparture) },
          { header: 'last departure', value: (x) => at(x.lastDeparture) },
        ]),
      );
    });
  transitCommand
    .command('feeds')
    .description('the feeds this deployment knows')
    .option('--json', 'print JSON for machines')
    .action(async (o: { json?: boolean }) => {
      const feeds = await (await open()).listFeeds();
      if (o.json) return print(JSON.stringify(feeds, null, 2));
      print(
        formatTable(feeds, [
          { header: 'id', value: (f) => `${f.id}${f.default ? ' *' : ''}` },
          { header: 'name', value: (f) => english(f.name) },
          { header: 'source', value: (f) => f.source },
          { header: 'covers', value: (f) => `${f.coverage.start} – ${f.coverage.end}` },
          { header: 'stops', value: (f) => f.stops, align: 'right' },
          { header: 'routes', value: (f) => f.routes, align: 'right' },
          { header: 'trips', value: (f) => formatInteger(f.trips), align: 'right' },
        ]),
      );
    });

  program
    .command('import')
    .description('bring data in')
    .command('gtfs')
    .description('import a GTFS feed (zip or folder): check it, build its timetable, keep it under an id')
    .argument('<source>', 'a GTFS .zip or a folder of .txt files')
    .option('--as <id>', 'the id to keep it under (default: the file name)')
    .option('--json', 'print JSON for machines')
    .action(async (source: string, o: { as?: string; json?: boolean }) => {
      // By default the file name, made into an id: caltrain_20160406.zip → caltrain-20160406.
      const id =
        o.as ??
        basename(source)
          .replace(/\.zip$/i, '')
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-+|-+$/g, '')
          .slice(0, 40);
      const progress = progressBar('reading {file} {bar} {percentage}% · {rows} rows');
      try {
        const result = await (await open()).importFeed(source, id, {
          onProgress: ({ file, rows, bytes, totalBytes }) =>
            progress.update(bytes, totalBytes, { file, rows: formatInteger(rows) }),
        });
        progress.stop();
        if (o.json) return print(JSON.stringify(result, null, 2));
        print(
          `imported ${result.id}: ${result.stops} stops, ${result.routes} routes, ${formatInteger(result.trips)} trips, ${result.patterns} patterns; covers ${result.coverage.start} – ${result.coverage.end}`,
        );
      } finally {
        progress.stop();
      }
    });
}
