/**
 * The SMA pack's fares: the feeds load merged (the regional rules name every operator's), every
 * agency is a party, every rail stop is the rail pack's; the published scales price as their
 * sources say; and the properties every quote keeps (never negative, never above the uncapped
 * sum, appending a leg adds between nothing and its own fare, caps hold), on random legs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsvRows, readFeedFiles } from '../lib/feed-files.ts';
import type { FareLeg } from './model.ts';
import { FaresService, fareFolders } from './service.ts';

const PACK = path.resolve(import.meta.dirname, '../../data/regions/sma');
const FARES = path.join(PACK, 'fares');
const fares = new FaresService(FARES);
const engine = fares.regional();

describe('the pack check', () => {
  const parties = new Set(
    (JSON.parse(readFileSync(path.join(PACK, 'parties.json'), 'utf8')) as { id: string; kind: string }[])
      .filter((p) => p.kind === 'operator')
      .map((p) => p.id),
  );
  const folders = fareFolders(FARES).filter((f) => !f.endsWith('regional'));

  it('all the feeds load merged; each operator folder has one agency, named as the folder, a party', () => {
    expect(engine.feed.agencies.size).toBe(folders.length);
    for (const folder of folders) {
      const agencies = (readCsvRows(readFeedFiles(folder), 'agency.txt') ?? []).map((r) =>
        r.get('agency_id'),
      );
      expect(agencies).toEqual([path.basename(folder)]);
      expect(parties.has(path.basename(folder))).toBe(true);
    }
  });

  it('every operator of the parties has a fare folder', () => {
    expect(folders.map((f) => path.basename(f)).sort()).toEqual([...parties].sort());
  });

  it("the rail operator's stops are the rail pack's, by id", () => {
    const railStops = (dir: string) =>
      new Set((readCsvRows(readFeedFiles(dir), 'stops.txt') ?? []).map((r) => r.get('stop_id')));
    expect(railStops(path.join(FARES, 'cr-shanghai'))).toEqual(railStops(path.join(PACK, 'gtfs/today')));
  });
});

const at = (time: string, day = '2026-12-01') => `${day}T${time}+08:00`;

describe('published scales', () => {
  const metro = (from: string, to: string, options = {}) =>
    engine.quote([{ operator: 'shanghai-metro', from, to, start: at('08:00:00') }], options).legs[0];

  it('Shanghai Metro: ¥3 up to 6 km, then ¥1 per 10 km, by the shortest path over the station graph', () => {
    // People's Square – Shanghai Railway Station: 3.1 km (estimated) → ¥3.
    expect(metro('shm-renmin-square', 'shm-shanghai-rs').single).toBe(300);
    // Hongqiao – People's Square: 18.4 km → (16, 26] → ¥5.
    expect(metro('shm-hongqiao-rs', 'shm-renmin-square').single).toBe(500);
    const far = metro('shm-hongqiao-rs', 'shm-pudong-airport');
    expect(far.rules[0]).toMatch(/km in \(\d+, \d+\] km/);
  });

  it('rider categories and the card: concessions at half price on Metropolitan Tong', () => {
    expect(
      metro('shm-hongqiao-rs', 'shm-renmin-square', { riderCategory: 'student', fareMedium: 'tong' }).single,
    ).toBe(250);
    expect(metro('shm-hongqiao-rs', 'shm-renmin-square', { riderCategory: 'student' }).single).toBe(500);
    expect(engine.riderCategories()).toEqual(['adult', 'student', 'senior']);
    expect(engine.serviceDayStart()).toBe('04:30');
  });

  it('no tap-out: the maximum fare from the entry', () => {
    const max = engine.maxFare('shanghai-metro', 'shm-hongqiao-rs', {}, at('08:00:00'));
    expect(max).toBeGreaterThanOrEqual(metro('shm-hongqiao-rs', 'shm-pudong-airport').single);
  });

  it('intercity rail by distance (an estimate), and a cross-operator transfer discount within 90 minutes', () => {
    const legs: FareLeg[] = [
      { operator: 'suzhou-rail', from: 'szm-leqiao', to: 'szm-suzhou-rs', start: at('07:10:00') },
      {
        operator: 'cr-shanghai',
        route: 'jh-hsr',
        from: 'suzhou',
        to: 'shanghai_hongqiao',
        start: at('07:40:00'),
      },
      { operator: 'shanghai-metro', from: 'shm-hongqiao-rs', to: 'shm-renmin-square', start: at('08:20:00') },
    ];
    const q = engine.quote(legs, { fareMedium: 'tong' });
    expect(q.legs[1].single).toBeGreaterThan(0);
    expect(q.legs[1].amount).toBe(q.legs[1].single - 100);
    expect(q.legs[2].amount).toBe(q.legs[2].single - 100);
    expect(q.total).toBe(q.legs.reduce((s, l) => s + l.amount, 0));
  });

  it('a conventional line has no published or estimated fare yet: a clear problem', () => {
    expect(() =>
      engine.quote([
        { operator: 'cr-shanghai', route: 'jh-conv', from: 'suzhou', to: 'shanghai', start: at('08:00:00') },
      ]),
    ).toThrow(expect.objectContaining({ code: 'no-fare' }));
  });

  it('the card knows which stops an operator has', () => {
    expect(engine.hasStop('shanghai-metro', 'shm-xujiahui')).toBe(true);
    expect(engine.hasStop('suzhou-rail', 'shm-xujiahui')).toBe(false);
  });
});

// ---- properties ----

const PRICED: [string, string[]][] = [
  [
    'shanghai-metro',
    ['shm-hongqiao-rs', 'shm-renmin-square', 'shm-xujiahui', 'shm-pudong-airport', 'shm-huaqiao'],
  ],
  ['suzhou-rail', ['szm-suzhou-rs', 'szm-leqiao', 'szm-dongfangzhimen', 'szm-suzhou-north-rs']],
  ['ningbo-rail', ['nbm-ningbo-rs', 'nbm-gulou']],
  ['jiaxing-bus', ['jxb-jiaxing-rs', 'jxb-jiaxing-south-rs']],
];
const START = Date.parse('2026-11-30T00:00:00+08:00');

const legArb = fc
  .record({
    op: fc.integer({ min: 0, max: PRICED.length - 1 }),
    a: fc.nat(),
    b: fc.nat(),
    tapOut: fc.boolean(),
    gap: fc.integer({ min: 60, max: 20 * 3600 }),
  })
  .map(({ op, a, b, tapOut, gap }) => {
    const [operator, stops] = PRICED[op];
    const from = stops[a % stops.length];
    let to: string | null = stops[b % stops.length];
    if (to === from) to = stops[(b + 1) % stops.length];
    if (!tapOut) to = null;
    return { operator, from, to, gap };
  });
const journeyArb = fc.array(legArb, { minLength: 1, maxLength: 25 }).map((raw) => {
  let t = START;
  return raw.map(({ gap, ...leg }): FareLeg => {
    t += gap * 1000;
    return { ...leg, start: new Date(t).toISOString() };
  });
});
const optionsArb = fc.record({
  riderCategory: fc.constantFrom('adult', 'student', 'senior'),
  fareMedium: fc.constantFrom(undefined, 'tong'),
});

describe('properties', () => {
  it('a fare is never negative and never above the uncapped sum; legs sum to the total', () => {
    fc.assert(
      fc.property(journeyArb, optionsArb, (legs, options) => {
        const q = engine.quote(legs, options);
        expect(q.total).toBeGreaterThanOrEqual(0);
        expect(q.total).toBeLessThanOrEqual(q.uncapped);
        expect(q.legs.every((l) => l.amount >= 0)).toBe(true);
        expect(q.legs.reduce((s, l) => s + l.amount, 0)).toBe(q.total);
      }),
      { numRuns: 300 },
    );
  });

  it("appending a leg never lowers the total, nor raises it by more than that leg's own fare", () => {
    fc.assert(
      fc.property(journeyArb, optionsArb, (legs, options) => {
        const before = legs.length > 1 ? engine.quote(legs.slice(0, -1), options).total : 0;
        const after = engine.quote(legs, options);
        expect(after.total).toBeGreaterThanOrEqual(before);
        expect(after.total - before).toBeLessThanOrEqual(after.legs.at(-1)!.single);
      }),
      { numRuns: 300 },
    );
  });

  it('caps hold: on the card, no service day (from 04:30) costs more than its cap, no week more than its', () => {
    const caps = { adult: [8000, 32000], student: [4000, 16000], senior: [4000, 16000] } as const;
    fc.assert(
      fc.property(journeyArb, optionsArb, (legs, { riderCategory }) => {
        const q = engine.quote(legs, { riderCategory, fareMedium: 'tong' });
        const days = new Map<number, number>();
        const weeks = new Map<number, number>();
        q.legs.forEach((l) => {
          const local = Date.parse(legs[l.leg].start) + 8 * 3600_000 - 4.5 * 3600_000;
          const day = Math.floor(local / 86_400_000);
          const week = Math.floor((day + 3) / 7); // weeks from Monday
          days.set(day, (days.get(day) ?? 0) + l.amount);
          weeks.set(week, (weeks.get(week) ?? 0) + l.amount);
        });
        for (const v of days.values()) expect(v).toBeLessThanOrEqual(caps[riderCategory][0]);
        for (const v of weeks.values()) expect(v).toBeLessThanOrEqual(caps[riderCategory][1]);
      }),
      { numRuns: 300 },
    );
  });
});
