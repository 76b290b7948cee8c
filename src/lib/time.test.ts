/**
 * lib/time computes zone offsets and GTFS service-day instants with Intl alone. Here it is
 * checked against an independent implementation, the Temporal polyfill, on random instants and
 * dates across the DST changes of zones that make them hard: half-hour DST (Lord Howe), southern
 * hemisphere (Santiago), a skipped day (Apia, 2011-12-30), and zones without DST.
 */
import { Temporal } from '@js-temporal/polyfill';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dayNumber,
  formatDate,
  localReading,
  localToUtc,
  serviceTimeToUtc,
  tryParseDate,
  utcToLocal,
  utcToServiceTime,
  weekday,
  zoneOffset,
} from './time.ts';

const ZONES = [
  'Asia/Shanghai',
  'America/New_York',
  'Europe/London',
  'Europe/Berlin',
  'Australia/Lord_Howe',
  'America/Santiago',
  'Pacific/Apia',
  'America/St_Johns',
  'Asia/Kolkata',
  'Africa/Casablanca',
  'UTC',
];
/** 1980–2060: every zone here has whole-second offsets then (no local mean time). */
const instantMs = fc.integer({ min: 315_532_800_000, max: 2_871_763_200_000 });
const day = fc.integer({ min: 3653, max: 33_237 });

/** Instants within two hours of a clock change of the zone, where the arithmetic goes wrong if it does. */
const nearTransition = (z: string) =>
  fc.tuple(instantMs, fc.integer({ min: -7200_000, max: 7200_000 })).map(([ms, delta]) => {
    const next = zoned(ms, z).getTimeZoneTransition('next');
    return next ? next.epochMilliseconds + delta : ms;
  });
const anyInstant = (z: string) => fc.oneof(instantMs, nearTransition(z));

const plainDate = (d: number) => Temporal.PlainDate.from('1970-01-01').add({ days: d });
const zoned = (ms: number, z: string) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(z);

describe('calendar dates', () => {
  it('day numbers, ISO text and weekdays agree with Temporal', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), (d) => {
        const date = plainDate(d);
        expect(formatDate(d)).toBe(date.toString());
        expect(dayNumber(date.year, date.month, date.day)).toBe(d);
        expect(tryParseDate(date.toString())).toBe(d);
        expect(weekday(d)).toBe(date.dayOfWeek - 1);
      }),
    );
  });

  it('refuses dates that do not exist', () => {
    for (const text of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '20260230'])
      expect(tryParseDate(text)).toBeUndefined();
    expect(tryParseDate('2028-02-29')).toBe(plainDate(0).until('2028-02-29').days);
  });
});

describe.each(ZONES)('time in %s', (z) => {
  it('the offset from UTC at an instant', () => {
    fc.assert(
      fc.property(anyInstant(z), (ms) => {
        expect(zoneOffset(z, ms)).toBe(zoned(ms, z).offsetNanoseconds / 1e6);
      }),
      { numRuns: 300 },
    );
  });

  it('what the clock reads: date, time and UTC offset', () => {
    fc.assert(
      fc.property(anyInstant(z), (ms) => {
        const t = zoned(ms, z).round({ smallestUnit: 'second', roundingMode: 'floor' });
        const reading = localReading(z, ms);
        expect(reading.date).toBe(t.toPlainDate().toString());
        expect(reading.time).toBe(t.toPlainTime().toString());
        expect(reading.offset).toBe(t.offset === '+00:00' || t.offset === '-00:00' ? '+00:00' : t.offset);
      }),
      { numRuns: 300 },
    );
  });

  it('the local date and time of an instant', () => {
    fc.assert(
      fc.property(anyInstant(z), (ms) => {
        const t = zoned(ms, z);
        const local = utcToLocal(z, ms);
        expect(formatDate(local.day)).toBe(t.toPlainDate().toString());
        expect(local.seconds).toBe(t.hour * 3600 + t.minute * 60 + t.second);
      }),
      { numRuns: 300 },
    );
  });

  it('a wall-clock time to UTC: in a repeated hour the earlier instant, in a skipped hour the instant before the gap', () => {
    fc.assert(
      fc.property(anyInstant(z), (ms) => {
        // The wall-clock reading of an instant (near a clock change, often), asked back.
        const wall = zoned(Math.floor(ms / 1000) * 1000, z).toPlainDateTime();
        const d = dayNumber(wall.year, wall.month, wall.day)!;
        const s = wall.hour * 3600 + wall.minute * 60 + wall.second;
        const expected = wall.toZonedDateTime(z, { disambiguation: 'earlier' }).epochMilliseconds;
        expect(localToUtc(z, d, s)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('GTFS service time: seconds after noon minus 12 h, and back', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 48 * 3600 }), (d, s) => {
        const noon = plainDate(d).toZonedDateTime({ timeZone: z, plainTime: '12:00' });
        const expected = noon.subtract({ hours: 12 }).add({ seconds: s }).epochMilliseconds;
        const utc = serviceTimeToUtc(z, d, s);
        expect(utc).toBe(expected);
        expect(utcToServiceTime(z, d, utc)).toBe(s);
      }),
      { numRuns: 300 },
    );
  });
});

it('knows the days the clocks change in 2026, as Temporal does', () => {
  // Spring forward in New York on 8 March, London on 29 March; back on 1 November and 25 October.
  const length = (z: string, iso: string) => {
    const d = tryParseDate(iso)!;
    return (serviceTimeToUtc(z, d + 1, 0) - serviceTimeToUtc(z, d, 0)) / 3_600_000;
  };
  for (const [z, iso] of [
    ['America/New_York', '2026-03-08'],
    ['America/New_York', '2026-11-01'],
    ['Europe/London', '2026-03-29'],
    ['Europe/London', '2026-10-25'],
  ] as const) {
    const start = Temporal.PlainDate.from(iso).toZonedDateTime({ timeZone: z, plainTime: '12:00' });
    const next = start.add({ days: 1 });
    expect(length(z, iso), `${z} ${iso}`).toBe(Number(next.since(start, { largestUnit: 'hours' }).hours));
  }
});
