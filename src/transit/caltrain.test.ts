import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../lib/errors.ts';
import { coverageOf } from './calendar.ts';
import { type Feed, readGtfs } from './gtfs.ts';
import { earliestArrival, planJourneys, reachInWindow } from './planner.ts';
import { findStops } from './stops.ts';
import { buildTimetable, cachedTimetable, type Timetable } from './timetable.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const feedPath = path.resolve(repoRoot, 'test/fixtures/gtfs-caltrain/caltrain_20160406.zip');

let feed: Feed;
let tt: Timetable;
beforeAll(async () => {
  feed = await readGtfs(feedPath);
  tt = buildTimetable(feed);
});

const rides = (j: ReturnType<typeof earliestArrival>) =>
  j?.legs.map((l) =>
    l.kind === 'ride'
      ? `${l.trip.id} ${l.from.id} ${l.departure.time} → ${l.to.id} ${l.arrival.time}`
      : `walk ${l.from.id} → ${l.to.id}`,
  );

describe('Caltrain 2016-04 feed', () => {
  it('reads every table', () => {
    expect(feed.agencies).toHaveLength(1);
    expect(feed.timezone).toBe('America/Los_Angeles');
    expect(feed.stops).toHaveLength(95);
    expect(feed.stops.filter((s) => s.locationType === 1)).toHaveLength(31);
    expect(feed.routes).toHaveLength(4);
    expect(feed.trips).toHaveLength(218);
    expect(feed.stopTimes.stop.length).toBe(3103);
    expect(feed.services).toHaveLength(3);
    expect(feed.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(coverageOf(tt.service)).toMatchObject({ start: '2014-03-23', end: '2019-03-31' });
  });

  it('finds stations by name', () => {
    expect(findStops(tt, 'palo alto')[0]).toMatchObject({ id: 'ctpa', stops: [32, 33] });
    expect(findStops(tt, 'San Francisco')[0].id).toBe('ctsf');
    expect(findStops(tt, 'Mt Veiw')[0].id).toBe('ctmv');
    expect(findStops(tt, '70012')[0]).toMatchObject({ kind: 'id', stops: [tt.stopIds.indexOf('70012')] });
  });

  it('weekday morning: San Francisco 07:00 → Palo Alto takes Baby Bullet 314 (07:12 → 07:54)', () => {
    // stop_times.txt: 314 leaves 70012 at 7:12:00 and reaches 70172 at 7:54:00; local 216 arrives 8:09.
    const j = earliestArrival(tt, {
      from: 'San Francisco',
      to: 'Palo Alto',
      date: '2016-04-12',
      time: '07:00',
    });
    expect(rides(j)).toEqual(['314 70012 07:12:00 → 70172 07:54:00']);
    expect(j?.departure.utc).toBe('2016-04-12T14:12:00.000Z');
    expect(j?.arrival.utc).toBe('2016-04-12T14:54:00.000Z');
    expect(j?.transfers).toBe(0);
  });

  it('Saturday: San Francisco 08:00 → Palo Alto takes 422a (08:15 → 09:19)', () => {
    const j = earliestArrival(tt, { from: 'ctsf', to: 'ctpa', date: '2016-04-16', time: '08:00' });
    expect(rides(j)).toEqual(['422a 70012 08:15:00 → 70172 09:19:00']);
  });

  it('Memorial Day 2016 runs the Sunday timetable (calendar_dates)', () => {
    const j = earliestArrival(tt, { from: 'ctsf', to: 'ctpa', date: '2016-05-30', time: '08:00' });
    expect(rides(j)).toEqual(['422u 70012 08:15:00 → 70172 09:19:00']);
  });

  it('express then local back: SF → California Ave via Mountain View beats the direct local', () => {
    // 314 reaches Mt View 70212 at 8:01; NB local 225 leaves 70211 at 8:07, California Ave 70191 at 8:14.
    // The direct option is local 220: 70012 7:44 → 70192 8:35.
    const journeys = planJourneys(tt, { from: 'ctsf', to: 'ctca', date: '2016-04-12', time: '07:00' });
    expect(journeys.map(rides)).toEqual([
      ['220 70012 07:44:00 → 70192 08:35:00'],
      ['314 70012 07:12:00 → 70212 08:01:00', 'walk 70212 → 70211', '225 70211 08:07:00 → 70191 08:14:00'],
    ]);
    expect(journeys[1].transfers).toBe(1);
  });

  it('a date outside the feed gets the coverage Problem, not "no journey"', () => {
    const ask = () => earliestArrival(tt, { from: 'ctsf', to: 'ctpa', date: '2030-01-01', time: '08:00' });
    expect(ask).toThrow(Problem);
    expect(ask).toThrow('the feed covers 2014-03-23 to 2019-03-31; 2030-01-01 is outside it');
  });

  it('bad questions are Problems', () => {
    const q = { from: 'ctsf', to: 'ctpa', date: '2016-04-12', time: '08:00' };
    expect(() => earliestArrival(tt, { ...q, time: '8h' })).toThrow(/time: "8h" is not a time/);
    expect(() => earliestArrival(tt, { ...q, date: '2016-02-30' })).toThrow(/not a date/);
    expect(() => earliestArrival(tt, { ...q, to: 'Atlantis' })).toThrow(/no stop matches "Atlantis"/);
  });

  it('reach over a window: every minute 07:00–09:00', () => {
    const reach = reachInWindow(tt, { from: 'ctsf', date: '2016-04-12', start: '07:00', end: '09:00' });
    expect(reach.departures).toHaveLength(121);
    const pa = tt.stopIds.indexOf('70172');
    expect(reach.arrivals[0][pa]).toBe(7 * 3600 + 54 * 60);
    expect(reach.arrivals[13][pa]).toBe(8 * 3600 + 9 * 60); // leaving 07:13 misses 314, takes 216
  });

  it('caches the built timetable by feed hash: a hit reads no GTFS and leaves the file alone', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tt-cache-'));
    try {
      // readGtfs reports every table it parses; a timetable loaded from the cache parses none.
      const parsed: string[] = [];
      const options = { onProgress: ({ file }: { file: string }) => parsed.push(file) };
      const first = await cachedTimetable(feedPath, dir, {}, options);
      expect(parsed).toContain('stop_times.txt');
      const [name] = readdirSync(dir);
      const file = path.join(dir, name);
      const built = statSync(file);

      parsed.length = 0;
      const second = await cachedTimetable(feedPath, dir, {}, options);
      expect(parsed).toEqual([]);
      const after = statSync(file);
      expect([after.ino, after.mtimeMs, after.size]).toEqual([built.ino, built.mtimeMs, built.size]);
      expect(second).not.toBe(first);
      expect(second.stopIds).toEqual(first.stopIds);
      expect(Array.from(second.departures)).toEqual(Array.from(first.departures));

      // Other settings are another timetable (other footpaths): built, in a file of its own.
      await cachedTimetable(feedPath, dir, { walkRadius: 200 }, options);
      expect(parsed).toContain('stop_times.txt');
      expect(readdirSync(dir)).toHaveLength(2);

      // A damaged file is rebuilt, not trusted.
      writeFileSync(file, 'not a timetable');
      parsed.length = 0;
      const rebuilt = await cachedTimetable(feedPath, dir, {}, options);
      expect(parsed).toContain('stop_times.txt');
      expect(Array.from(rebuilt.departures)).toEqual(Array.from(first.departures));
      expect(statSync(file).size).toBe(built.size);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
