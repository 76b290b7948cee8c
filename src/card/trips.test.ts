import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FareEngine } from '../fares/engine.ts';
import { readFareFeed } from '../fares/feed.ts';
import { buildLegs, MAX_JOURNEY_MS, rateWeek, ServiceCalendar, type StoredTap } from './trips.ts';

const H = 3600_000;
const t0 = Date.parse('2026-11-23T08:00:00+08:00');
const tap = (
  id: string,
  kind: StoredTap['kind'],
  stop: string,
  atMs: number,
  operator = 'metro',
): StoredTap => ({
  id,
  operator,
  kind,
  stop,
  route: null,
  atMs,
});

describe('legs from taps', () => {
  it('pairs an entry with the next exit on the same operator', () => {
    const legs = buildLegs([tap('b', 'exit', 'B', t0 + 0.5 * H), tap('a', 'entry', 'A', t0)], t0 + 10 * H);
    expect(legs).toMatchObject([{ from: 'A', to: 'B', status: 'complete', entryTap: 'a' }]);
  });

  it('charges an entry without exit as unfinished once its time is up, and holds it before', () => {
    const entry = [tap('a', 'entry', 'A', t0)];
    expect(buildLegs(entry, t0 + H)[0].status).toBe('open');
    expect(buildLegs(entry, t0 + MAX_JOURNEY_MS + 1)[0].status).toBe('no-exit');
  });

  it('does not pair across operators, nor beyond the longest journey', () => {
    const other = buildLegs([tap('a', 'entry', 'A', t0), tap('b', 'exit', 'B', t0 + H, 'rail')], t0 + 10 * H);
    expect(other.map((l) => l.status)).toEqual(['no-exit', 'no-entry']);
    const late = buildLegs([tap('a', 'entry', 'A', t0), tap('b', 'exit', 'B', t0 + 6 * H)], t0 + 10 * H);
    expect(late.map((l) => l.status)).toEqual(['no-exit', 'no-entry']);
  });

  it('gives the same legs whatever order the taps arrive in, and every tap a place in one leg', () => {
    const kinds = fc.constantFrom<StoredTap['kind']>('entry', 'exit', 'board');
    const taps = fc.uniqueArray(
      fc.record({
        minute: fc.integer({ min: 0, max: 2000 }),
        kind: kinds,
        op: fc.constantFrom('metro', 'rail'),
      }),
      { selector: (t) => t.minute, maxLength: 30 },
    );
    fc.assert(
      fc.property(taps, fc.integer(), (list, shuffleSeed) => {
        const stored = list.map((t, i) => tap(`t${i}`, t.kind, `S${i}`, t0 + t.minute * 60_000, t.op));
        const shuffled = [...stored].sort(
          (a, b) => ((a.atMs * 31 + shuffleSeed) % 97) - ((b.atMs * 31 + shuffleSeed) % 97),
        );
        const now = t0 + 100 * H;
        expect(buildLegs(shuffled, now)).toEqual(buildLegs(stored, now));
        const legs = buildLegs(stored, now);
        const tapsInLegs = legs.reduce((n, l) => n + (l.status === 'complete' && l.to !== null ? 2 : 1), 0);
        expect(tapsInLegs).toBe(stored.length);
      }),
    );
  });
});

describe('service days and weeks', () => {
  const calendar = new ServiceCalendar('Asia/Shanghai', 4.5 * 3600);
  const day = (iso: string) => calendar.day(Date.parse(iso));
  it('start at 04:30 local time', () => {
    expect(day('2026-11-24T04:29:59+08:00')).toBe(day('2026-11-23T12:00:00+08:00'));
    expect(day('2026-11-24T04:30:00+08:00')).toBe(day('2026-11-23T12:00:00+08:00') + 1);
  });
  it('weeks run Monday to Sunday', () => {
    const monday = day('2026-11-23T12:00:00+08:00');
    expect(calendar.week(Date.parse('2026-11-29T23:00:00+08:00'))).toBe(monday);
    expect(calendar.week(Date.parse('2026-11-30T04:00:00+08:00'))).toBe(monday);
    expect(calendar.week(Date.parse('2026-11-30T05:00:00+08:00'))).toBe(monday + 7);
  });
});

describe('rating a week', () => {
  const engine = new FareEngine(readFareFeed([join(import.meta.dirname, '../../test/fixtures/fares-card')]));
  const calendar = new ServiceCalendar('Asia/Shanghai', engine.feed.dayStart);
  const stops = { 'metro-a': ['M1', 'M2', 'M3', 'M4'], 'rail-x': ['R1', 'R2'], 'bus-b': ['B1'] } as const;
  const anyTap = fc
    .record({
      operator: fc.constantFrom('metro-a', 'rail-x', 'bus-b'),
      gate: fc.constantFrom<StoredTap['kind']>('entry', 'exit'),
      stop: fc.nat(3),
      minute: fc.integer({ min: 0, max: 6 * 24 * 60 }),
    })
    .map(({ operator, gate, stop, minute }, i = 0): StoredTap => {
      const list = stops[operator];
      return {
        id: `t${minute}-${operator}-${stop}-${gate}-${i}`,
        operator,
        kind: operator === 'bus-b' ? 'board' : gate,
        stop: list[stop % list.length],
        route: operator === 'bus-b' ? 'bus-1' : null,
        atMs: t0 + minute * 60_000,
      };
    });
  const total = (taps: StoredTap[]) =>
    rateWeek(buildLegs(taps, t0 + 30 * 24 * H), engine, calendar, {
      riderCategory: 'adult',
      fareMedium: 'tong',
    });

  it('is never negative, never above the uncapped sum, and a tap adds at most its own maximum fare', () => {
    fc.assert(
      fc.property(fc.uniqueArray(anyTap, { selector: (t) => t.id, maxLength: 25 }), anyTap, (taps, extra) => {
        fc.pre(!taps.some((t) => t.id === extra.id));
        const before = total(taps);
        const after = total([...taps, extra]);
        for (const r of [before, after]) {
          const sum = r.fares.reduce((s, f) => s + f.fare, 0);
          expect(sum).toBeGreaterThanOrEqual(0);
          expect(r.fares.every((f) => f.fare >= 0 && f.fare <= f.single)).toBe(true);
          expect(sum).toBeLessThanOrEqual(r.fares.reduce((s, f) => s + f.single, 0));
        }
        const sum = (r: ReturnType<typeof total>) => r.fares.reduce((s, f) => s + f.fare, 0);
        const own = engine.maxFare(extra.operator, extra.stop, {
          riderCategory: 'adult',
          fareMedium: 'tong',
        });
        expect(sum(after) - sum(before)).toBeLessThanOrEqual(own);
      }),
      { numRuns: 300 },
    );
  });
});
