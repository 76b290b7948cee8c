/**
 * The long-distance fixture (test/fixtures/gtfs-longdistance): a three-night train across five time
 * zones, asked through the service, the HTTP API and the command, as a traveller would.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../lib/config.ts';
import type { App } from '../lib/http.ts';
import { openRuntime, type Runtime } from '../modules.ts';
import { loadRegionPack, Region } from '../region/index.ts';
import { buildApp } from '../server/app.ts';
import { FeedRegistry } from './feeds.ts';
import { readGtfs } from './gtfs.ts';
import { transitModule } from './index.ts';
import { ArrivalBoard, DepartureBoard, type Journey, JourneyPlan, RouteStats } from './model.ts';
import { TransitService } from './service.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FEED = join(ROOT, 'test/fixtures/gtfs-longdistance');
const region = new Region(loadRegionPack(join(ROOT, 'data/regions/sma')));
let transit: TransitService;

beforeAll(async () => {
  const varDir = mkdtempSync(join(tmpdir(), 'tongcheng-longdistance-'));
  transit = new TransitService(region, new FeedRegistry(join(ROOT, 'data/regions/sma/gtfs'), varDir));
  await transit.importFeed(FEED, 'longdistance');
});

const feed = 'longdistance';
const rides = (j: Journey) =>
  j.legs.map((l) =>
    l.kind === 'ride'
      ? `${l.trip.id} ${l.from.id} ${l.departure.localDate} ${l.departure.localTime} ${l.departure.zone} → ${l.to.id} ${l.arrival.localDate} ${l.arrival.localTime} ${l.arrival.zone}`
      : `walk ${l.from.id} → ${l.to.id} ${l.duration}`,
  );

describe('the long-distance feed', () => {
  it('keeps each stop’s zone: stations their own, platforms their station’s, a blank one the agency’s', async () => {
    const f = await readGtfs(FEED);
    const zone = (id: string) => f.stops.find((s) => s.id === id)?.timezone;
    expect(zone('VAN')).toBe('America/Vancouver');
    expect(zone('VAN-1')).toBe('America/Vancouver');
    expect(zone('SAS')).toBe('America/Regina');
    expect(zone('KGN')).toBe('America/Toronto');
  });

  it('refuses a stop_timezone that is no IANA zone, naming file, line and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tongcheng-badzone-'));
    cpSync(FEED, dir, { recursive: true });
    const stops = readFileSync(join(dir, 'stops.txt'), 'utf8').replace('America/Regina', 'Canada/Nowhere');
    writeFileSync(join(dir, 'stops.txt'), stops);
    await expect(readGtfs(dir)).rejects.toMatchObject({
      status: 422,
      field: 'stop_timezone',
      message: expect.stringMatching(/stops\.txt line 9, field stop_timezone: "Canada\/Nowhere"/),
    });
  });

  it('finds the only journey Toronto → Vancouver: three nights on board, each time on its stop’s clocks', async () => {
    const plan = await transit.route({
      feed,
      from: 'Toronto Union',
      to: 'Vancouver Pacific Central',
      at: '2026-12-01T08:00',
    });
    expect(Value.Check(JourneyPlan, plan)).toBe(true);
    expect(plan.journeys).toHaveLength(1);
    const [j] = plan.journeys;
    expect(rides(j)).toEqual([
      'TC1 TOR-1 2026-12-01 09:55:00 America/Toronto → VAN-1 2026-12-04 08:00:00 America/Vancouver',
    ]);
    expect(j.departure).toMatchObject({
      localTime: '09:55:00',
      utcOffset: '-05:00',
      utc: '2026-12-01T14:55:00.000Z',
    });
    // On the agency's service-day clock the train arrives at 83:00:00 of its service date.
    expect(j.arrival).toMatchObject({ date: '2026-12-01', time: '83:00:00', utcOffset: '-08:00' });
    expect(j.duration).toBe(3 * 86_400 + 65 * 60);
    const ride = j.legs[0];
    if (ride.kind !== 'ride') throw new Error('a ride was expected');
    expect(ride.stops.map((s) => s.id)).toEqual(['TOR-1', 'SUD', 'WPG', 'SAS', 'EDM', 'JAS', 'KAM', 'VAN-1']);
    expect(plan.searched.horizonDays).toBe(7);
  });

  it('changes at Toronto from the corridor train, with the platform change transfers.txt asks for', async () => {
    const plan = await transit.route({
      feed,
      from: 'Montréal Central',
      to: 'Vancouver',
      at: '2026-12-05T05:00',
    });
    expect(plan.journeys.map(rides)).toEqual([
      [
        'CR61 MTL 2026-12-05 05:40:00 America/Toronto → TOR-2 2026-12-05 09:10:00 America/Toronto',
        'walk TOR-2 → TOR-1 1800',
        'TC1 TOR-1 2026-12-05 09:55:00 America/Toronto → VAN-1 2026-12-08 08:00:00 America/Vancouver',
      ],
    ]);
  });

  it('waits days for the next train within the horizon, and an answer without a journey names the horizon', async () => {
    // Wednesday: the next westbound train is Saturday's, arriving Tuesday — six days after asking.
    const wednesday = await transit.route({
      feed,
      from: 'Toronto Union',
      to: 'Vancouver',
      at: '2026-12-02T08:00',
    });
    expect(wednesday.journeys[0].arrival).toMatchObject({ localDate: '2026-12-08', localTime: '08:00:00' });
    const short = await transit.route({
      feed,
      from: 'Toronto Union',
      to: 'Vancouver',
      at: '2026-12-02T08:00',
      horizonDays: 5,
    });
    expect(short.journeys).toEqual([]);
    expect(Value.Check(JourneyPlan, short)).toBe(true);
    expect(short.searched).toMatchObject({
      horizonDays: 5,
      latestArrival: { localDate: '2026-12-07', localTime: '05:00:00', zone: 'America/Vancouver' },
      serviceDates: { first: '2026-12-01', last: '2026-12-07' },
    });
    // Three days are not enough for the three-night train itself.
    const three = await transit.route({
      feed,
      from: 'Toronto Union',
      to: 'Vancouver',
      at: '2026-12-01T08:00',
      horizonDays: 3,
    });
    expect(three.journeys).toEqual([]);
    await expect(
      transit.route({ feed, from: 'Toronto Union', to: 'Vancouver', at: '2026-12-01T08:00', horizonDays: 0 }),
    ).rejects.toMatchObject({ status: 400, field: 'horizonDays' });
  });

  it('shows boards on the station’s own clocks, whatever service day the train belongs to', async () => {
    // Thursday's eastbound train leaves Vancouver at 20:30 Pacific: 23:30 on the agency's clock.
    const departures = await transit.departures({
      feed,
      stop: 'Vancouver',
      date: '2026-12-03',
      from: '20:00',
      to: '21:00',
    });
    expect(Value.Check(DepartureBoard, departures)).toBe(true);
    expect(departures.zone).toBe('America/Vancouver');
    expect(
      departures.departures.map((d) => [d.trip.id, d.at.localTime, d.at.time, d.destination.id]),
    ).toEqual([['TC2', '20:30:00', '23:30:00', 'TOR-1']]);
    // Tuesday's westbound train reaches Winnipeg on Wednesday morning, Central time.
    const arrivals = await transit.arrivals({
      feed,
      stop: 'Winnipeg',
      date: '2026-12-02',
      from: '07:00',
      to: '09:00',
    });
    expect(Value.Check(ArrivalBoard, arrivals)).toBe(true);
    expect(
      arrivals.arrivals.map((a) => [a.trip.id, a.at.localDate, a.at.localTime, a.at.date, a.origin.id]),
    ).toEqual([['TC1', '2026-12-02', '08:00:00', '2026-12-01', 'TOR-1']]);
    const none = await transit.arrivals({ feed, stop: 'Winnipeg', date: '2026-12-03' });
    expect(none.arrivals).toEqual([]);
    expect(none.headways).toBeNull();
  });

  it('gives each route’s day: trips, calls at stops, first and last departure on the departing stop’s clocks', async () => {
    const stats = await transit.routes({ feed, date: '2026-12-01' });
    expect(Value.Check(RouteStats, stats)).toBe(true);
    const byId = new Map(stats.routes.map((r) => [r.route.id, r]));
    expect(byId.get('TC')).toMatchObject({
      trips: 1,
      stopEvents: 8,
      firstDeparture: { at: { localTime: '09:55:00', zone: 'America/Toronto' }, stop: { id: 'TOR-1' } },
    });
    expect(byId.get('CR')).toMatchObject({
      trips: 4,
      stopEvents: 12,
      firstDeparture: { at: { localTime: '05:40:00' }, stop: { id: 'MTL' } },
      lastDeparture: { at: { localTime: '16:00:00' }, stop: { id: 'TOR-2' } },
    });
    // Boxing Day has no westbound train.
    const boxingDay = await transit.routes({ feed, date: '2026-12-26' });
    expect(boxingDay.routes.find((r) => r.route.id === 'TC')).toMatchObject({
      trips: 0,
      firstDeparture: null,
    });
  });
});

describe('the long-distance feed through the HTTP API', () => {
  let app: App;
  let runtime: Runtime;
  beforeAll(async () => {
    const varDir = mkdtempSync(join(tmpdir(), 'tongcheng-longdistance-api-'));
    runtime = await openRuntime(readConfig({ DATABASE_URL: '', TONGCHENG_VAR: varDir }, ROOT), 'write');
    await (await runtime.service(transitModule)).importFeed(FEED, feed);
    app = await buildApp(runtime);
  });
  afterAll(async () => {
    await app.close();
    await runtime.close();
  });
  const get = (path: string) => app.inject({ method: 'GET', url: path });

  it('answers route, arrivals and routes in their declared shapes', async () => {
    const route = await get(
      `/api/transit/route?feed=${feed}&from=TOR&to=VAN&at=2026-12-01T08:00&horizonDays=3`,
    );
    expect(route.statusCode).toBe(200);
    expect(route.json()).toMatchObject({ journeys: [], searched: { horizonDays: 3 } });
    const found = (await get(`/api/transit/route?feed=${feed}&from=TOR&to=VAN&at=2026-12-01T08:00`)).json();
    expect(found.journeys[0].arrival.localTime).toBe('08:00:00');
    const arrivals = await get(`/api/transit/arrivals?feed=${feed}&stop=VAN&date=2026-12-04`);
    expect(arrivals.statusCode).toBe(200);
    expect(arrivals.json().arrivals.map((a: { trip: { id: string } }) => a.trip.id)).toEqual(['TC1']);
    const routes = await get(`/api/transit/routes?feed=${feed}&date=2026-12-03`);
    expect(routes.json().routes.map((r: { trips: number }) => r.trips)).toEqual([1, 4]);
    const bad = await get(
      `/api/transit/route?feed=${feed}&from=TOR&to=VAN&at=2026-12-01T08:00&horizonDays=99`,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('horizonDays');
  });
});

describe('the long-distance feed through the command', () => {
  const run = promisify(execFile);
  const tongcheng = async (args: string[]) => {
    const varDir = mkdtempSync(join(tmpdir(), 'tongcheng-longdistance-cli-'));
    const { stdout } = await run('node', ['bin/tongcheng.js', ...args, '--feed', FEED], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', TONGCHENG_VAR: varDir },
    });
    return stdout;
  };

  it('prints the journey on each stop’s clocks with the dates, and the horizon when there is none', async () => {
    const found = await tongcheng([
      'route',
      '--from',
      'Toronto Union',
      '--to',
      'Vancouver',
      '--at',
      '2026-12-01T08:00',
    ]);
    expect(found).toMatch(/09:55 → 2026-12-04 08:00 \(UTC-08:00\) {2}3 d 1 h 05 min, direct/);
    const none = await tongcheng([
      'route',
      '--from',
      'Toronto Union',
      '--to',
      'Vancouver',
      '--at',
      '2026-12-01T08:00',
      '--horizon-days',
      '3',
    ]);
    expect(none).toMatch(
      /no journey arriving by 2026-12-04 05:00 \(UTC-08:00\) \(America\/Vancouver\): searched 3 days ahead, trips of the service dates 2026-12-01 to 2026-12-04/,
    );
  });

  it('prints the arrivals board and each route’s day as tables', async () => {
    const board = await tongcheng(['arrivals', '--stop', 'Vancouver', '--date', '2026-12-04']);
    expect(board).toMatch(/Vancouver Pacific Central · 2026-12-04 00:00–24:00 \(America\/Vancouver\)/);
    expect(board).toMatch(/08:00\s+1\s+TC1\s+Toronto Union platform 1/);
    const routes = await tongcheng(['transit', 'routes', '--date', '2026-12-01']);
    expect(routes).toMatch(/1\s+1\s+8\s+09:55 \(UTC-05:00\) Toronto Union platform 1/);
    const json = JSON.parse(await tongcheng(['transit', 'routes', '--date', '2026-12-01', '--json']));
    expect(json.routes).toHaveLength(2);
  });
});
