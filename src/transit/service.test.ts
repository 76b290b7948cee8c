import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRegionPack, Region } from '../region/index.ts';
import { FeedRegistry } from './feeds.ts';
import { TransitService } from './service.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CALTRAIN = resolve(ROOT, 'test/fixtures/gtfs-caltrain/caltrain_20160406.zip');
const region = new Region(loadRegionPack(join(ROOT, 'data/regions/sma')));
let varDir: string;
let transit: TransitService;

beforeAll(() => {
  varDir = mkdtempSync(join(tmpdir(), 'tongcheng-transit-'));
  transit = new TransitService(region, new FeedRegistry(join(ROOT, 'data/regions/sma/gtfs'), varDir));
});

describe('the SMA rail pack reproduces the seed figures', () => {
  it('has 23 lines, at least 500 departures a day, and a departure from Hongqiao every 4 minutes 07:00–09:00', async () => {
    const stats = await transit.stats({ date: '2026-12-01' });
    expect(stats.lines).toBe(23);
    expect(stats.dailyDepartures).toBeGreaterThanOrEqual(500);
    const hongqiao = stats.peakHeadways.find((h) => h.stop.id === 'shanghai_hongqiao');
    expect(hongqiao?.maxMinutes).toBeLessThanOrEqual(4);
    expect(stats.busiestStations[0].stop.names.en).toBe('Shanghai Hongqiao');
  });

  it('places every station in its city, and Hangzhou’s in the linked place', async () => {
    const stops = await transit.stops('today');
    const city = (id: string) => stops.find((s) => s.id === id)?.city;
    expect(city('shanghai_hongqiao')).toBe('shanghai');
    expect(city('suzhou_north')).toBe('suzhou');
    expect(city('hangzhou_east')).toBe('hangzhou');
    expect(stops.filter((s) => s.city === null)).toEqual([]);
  });

  it('has every station of the line table inside the city the table says', () => {
    const table = JSON.parse(readFileSync(join(ROOT, 'data/regions/sma/gtfs/lines.json'), 'utf8')) as {
      stations: { id: string; lonLat: [number, number]; city: string }[];
    };
    for (const station of table.stations) {
      const where = region.locate(station.lonLat[1], station.lonLat[0]);
      expect(where.city?.id ?? where.linkedPlace?.id, station.id).toBe(station.city);
    }
  });

  it('finds Hongqiao → Huzhou in about an hour today, and it was slower in 2022', async () => {
    const today = await transit.route({ from: 'Shanghai Hongqiao', to: 'Huzhou', at: '2026-12-01T08:00' });
    const fastest = Math.min(...today.journeys.map((j) => j.duration));
    expect(fastest / 60).toBeGreaterThan(45);
    expect(fastest / 60).toBeLessThan(80);
    const then = await transit.route({ feed: '2022', from: '上海虹桥', to: '湖州', at: '2022-12-01T08:00' });
    expect(Math.min(...then.journeys.map((j) => j.duration))).toBeGreaterThan(fastest);
    const pair = await transit.compare({
      base: '2022',
      with: 'today',
      from: 'Shanghai Hongqiao',
      to: 'Huzhou',
    });
    expect(pair.pairs[0].changeMinutes).toBeLessThan(0);
  });

  it('tells a date outside the feed from "no journey"', async () => {
    await expect(
      transit.route({ from: 'Shanghai Hongqiao', to: 'Huzhou', at: '2030-01-01T08:00' }),
    ).rejects.toMatchObject({
      status: 422,
      field: 'date',
      message: expect.stringMatching(/covers 2026-01-01 to 2027-12-31/),
    });
  });
});

describe('planner questions', () => {
  it('lists departures in order with headways that match the gaps', async () => {
    const board = await transit.departures({
      stop: '上海虹桥',
      date: '2026-12-01',
      from: '07:00',
      to: '09:00',
    });
    const times = board.departures.map((d) => d.at.localTime);
    expect(times).toEqual([...times].sort());
    expect(times.every((t) => t >= '07:00:00' && t <= '09:00:00')).toBe(true);
    expect(board.headways?.departures).toBe(times.length);
    expect(board.departures[0].destination.id).not.toBe('shanghai_hongqiao');
  });

  it('computes a city matrix whose percentiles are ordered and whose cells cover every served pair', async () => {
    const m = await transit.matrix({ date: '2026-12-01', window: '07:00-09:00' });
    expect(m.departures).toBe(121);
    const n = m.places.length;
    expect(m.cells).toHaveLength(n * (n - 1));
    for (const c of m.cells) {
      const values = [c.p10, c.p25, c.median, c.p75, c.p90].filter((v) => v !== null) as number[];
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect(c.reachable).toBeGreaterThanOrEqual(0);
      expect(c.reachable).toBeLessThanOrEqual(1);
    }
    const sh = m.cells.find((c) => c.from === 'shanghai' && c.to === 'suzhou')!;
    expect(sh.median).toBeGreaterThan(20);
    expect(sh.median).toBeLessThan(90);
  });

  it('compares the 2022 and today networks: on average faster today, and new pairs faster', async () => {
    const c = await transit.compare({ base: '2022', with: 'today' });
    expect(c.base.date.startsWith('2022')).toBe(true);
    expect(c.average.changeMinutes).toBeLessThan(0);
    const suzhouHuzhou = c.pairs.find((p) => p.from === 'suzhou' && p.to === 'huzhou')!;
    expect(suzhouHuzhou.changePercent).toBeLessThan(-20);
  });

  it('refuses bad questions with the field named', async () => {
    await expect(
      transit.route({ from: 'Atlantis', to: 'Huzhou', at: '2026-12-01T08:00' }),
    ).rejects.toMatchObject({ field: 'from', status: 404 });
    await expect(
      transit.route({ from: 'Huzhou', to: 'Huzhou', at: '2026-12-01T08:00' }),
    ).rejects.toMatchObject({ field: 'to' });
    await expect(transit.route({ from: 'Huzhou', to: 'Wuxi', at: 'tomorrow' })).rejects.toMatchObject({
      field: 'at',
      status: 400,
    });
    await expect(transit.matrix({ window: '09:00-07:00' })).rejects.toMatchObject({ field: 'window' });
    await expect(transit.stats({ feed: 'nope' })).rejects.toMatchObject({ field: 'feed', status: 404 });
    await expect(transit.compare({ base: '2022', with: 'today', from: 'Huzhou' })).rejects.toMatchObject({
      field: 'to',
    });
  });
});

describe('importing a feed', () => {
  it('imports the Caltrain feed under an id and plans on it; a broken source changes nothing', async () => {
    const result = await transit.importFeed(CALTRAIN, 'caltrain');
    expect(result).toMatchObject({ id: 'caltrain', stops: 95, trips: 218 });
    const feeds = await transit.listFeeds();
    expect(feeds.map((f) => f.id)).toEqual(['today', '2022', 'caltrain']);
    const board = await transit.departures({
      feed: 'caltrain',
      stop: 'San Francisco',
      date: '2016-04-12',
      from: '07:00',
      to: '08:00',
    });
    expect(board.departures.length).toBeGreaterThan(2);
    await expect(transit.importFeed(join(ROOT, 'package.json'), 'broken')).rejects.toMatchObject({
      status: 422,
    });
    await expect(transit.importFeed(CALTRAIN, 'today')).rejects.toMatchObject({ status: 409 });
    expect((await transit.listFeeds()).map((f) => f.id)).toEqual(['today', '2022', 'caltrain']);
  });
});

describe('the pack’s list of feeds', () => {
  it('names the file and the entry when it is broken', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tongcheng-feeds-'));
    writeFileSync(
      join(dir, 'feeds.json'),
      JSON.stringify([{ id: 'tomorrow', name: { zh: '明天', en: 'Tomorrow' } }]),
    );
    expect(() => new FeedRegistry(dir, varDir).list()).toThrow(
      /feeds\.json: \[0\]\.id: names feed "tomorrow", but there is no folder/,
    );
    writeFileSync(join(dir, 'feeds.json'), '{"id":');
    expect(() => new FeedRegistry(dir, varDir).list()).toThrow(/feeds\.json: not valid JSON/);
  });
});
