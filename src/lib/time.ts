/**
 * Dates and times of the region's timetables, without a time-zone library.
 *
 * A calendar date is an integer day number (days since 1970-01-01), so service-day arithmetic is integer
 * arithmetic. A time of day is seconds since the start of the service day and may exceed 24 h, as GTFS
 * allows. Turning a service date and seconds into an instant follows GTFS: seconds count from "noon minus
 * 12 h" local time, which differs from midnight on the days the clocks change. Zone offsets come from Intl.
 */
import { problem } from './errors.ts';

export const SECONDS_PER_DAY = 86_400;
const MS_PER_DAY = 86_400_000;

/** Day number of a proleptic Gregorian date, or undefined when the date does not exist. */
export function dayNumber(year: number, month: number, day: number): number | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return undefined;
  }
  return Math.round(ms / MS_PER_DAY);
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const gtfsDate = /^(\d{4})(\d{2})(\d{2})$/;

/** Parses `YYYY-MM-DD` (people, HTTP) or `YYYYMMDD` (GTFS); undefined when malformed or nonexistent. */
export function tryParseDate(text: string): number | undefined {
  const m = isoDate.exec(text) ?? gtfsDate.exec(text);
  if (!m) return undefined;
  return dayNumber(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Parses a `YYYY-MM-DD` date or throws a 400 Problem naming the field. */
export function parseDate(text: string, field = 'date'): number {
  const day = tryParseDate(text);
  if (day === undefined)
    throw problem('invalid-date', `${field}: "${text}" is not a date (YYYY-MM-DD)`, field);
  return day;
}

export function formatDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** ISO weekday of a day number: 0 = Monday … 6 = Sunday (the column order of GTFS calendar.txt). */
export function weekday(day: number): number {
  // 1970-01-01 was a Thursday.
  return (((day + 3) % 7) + 7) % 7;
}

const timeOfDay = /^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$/;

/** Parses `H:MM[:SS]` with hours possibly ≥ 24; undefined when malformed. */
export function tryParseTime(text: string): number | undefined {
  const m = timeOfDay.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + (m[3] === undefined ? 0 : Number(m[3]));
}

export function parseTime(text: string, field = 'time'): number {
  const seconds = tryParseTime(text);
  if (seconds === undefined) {
    throw problem('invalid-time', `${field}: "${text}" is not a time (HH:MM or HH:MM:SS)`, field);
  }
  return seconds;
}

/** `HH:MM:SS`, hours not wrapped, so 25:10:00 stays 25:10:00. */
export function formatTime(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  const s = Math.abs(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${sign}${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw problem('invalid-time-zone', `"${zone}" is not an IANA time zone`, 'timezone');
    }
    formatters.set(zone, f);
  }
  return f;
}

export function isTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

const HOUR_MS = 3_600_000;
/** Offsets by zone and hour: asking Intl costs microseconds, and a journey or board asks dozens of times. */
const hourOffsets = new Map<string, number>();

/**
 * Offset of local time from UTC in ms at a UTC instant. An hour's offset is kept once asked for,
 * except in an hour where it changes (a clock change), which is asked of Intl each time.
 */
export function zoneOffset(zone: string, epochMs: number): number {
  const hour = Math.floor(epochMs / HOUR_MS);
  const key = `${zone}|${hour}`;
  const known = hourOffsets.get(key);
  if (known !== undefined) return known;
  const start = intlOffset(zone, hour * HOUR_MS);
  if (intlOffset(zone, (hour + 1) * HOUR_MS - 1000) !== start) return intlOffset(zone, epochMs);
  if (hourOffsets.size > 50_000) hourOffsets.clear();
  hourOffsets.set(key, start);
  return start;
}

function intlOffset(zone: string, epochMs: number): number {
  const parts = formatterFor(zone).formatToParts(new Date(epochMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/**
 * The UTC instant (ms) of a local wall-clock time. A reading that happens twice (clocks going
 * back) gives the earlier instant; one that never happens (clocks going forward) gives the
 * instant the same distance before the gap's end, as Temporal's `disambiguation: 'earlier'` does.
 * Assumes at most one change of offset within a day either side, which holds for every zone.
 */
export function localToUtc(zone: string, day: number, secondsOfDay: number): number {
  const wall = day * MS_PER_DAY + secondsOfDay * 1000;
  const before = zoneOffset(zone, wall - MS_PER_DAY);
  const after = zoneOffset(zone, wall + MS_PER_DAY);
  const reads = (offset: number) => zoneOffset(zone, wall - offset) === offset;
  const early = reads(before) ? wall - before : undefined;
  const late = reads(after) ? wall - after : undefined;
  if (early !== undefined && late !== undefined) return Math.min(early, late);
  return early ?? late ?? wall - after;
}

/** The start (noon minus 12 h) of each service day, per zone: asking Intl is slow, and a day's start never changes. */
const serviceDayStarts = new Map<string, number>();

/** The instant of a GTFS time on a service date: seconds after noon minus 12 h, local time. */
export function serviceTimeToUtc(zone: string, serviceDay: number, seconds: number): number {
  const key = `${zone}|${serviceDay}`;
  let start = serviceDayStarts.get(key);
  if (start === undefined) {
    start = localToUtc(zone, serviceDay, 12 * 3600) - 12 * 3600 * 1000;
    if (serviceDayStarts.size > 10_000) serviceDayStarts.clear();
    serviceDayStarts.set(key, start);
  }
  return start + seconds * 1000;
}

/** The local calendar date and seconds since local midnight of a UTC instant. */
export function utcToLocal(zone: string, epochMs: number): { day: number; seconds: number } {
  const local = epochMs + zoneOffset(zone, epochMs);
  const day = Math.floor(local / MS_PER_DAY);
  return { day, seconds: Math.floor((local - day * MS_PER_DAY) / 1000) };
}

export interface LocalReading {
  /** `YYYY-MM-DD` in the zone. */
  date: string;
  /** `HH:MM:SS`, 00:00:00 to 23:59:59. */
  time: string;
  /** `+08:00`, `-05:00`. */
  offset: string;
}

/** What a clock in `zone` reads at a UTC instant: its date, time and offset from UTC. */
export function localReading(zone: string, epochMs: number): LocalReading {
  const offset = zoneOffset(zone, epochMs);
  const { day, seconds } = utcToLocal(zone, epochMs);
  const minutes = Math.round(Math.abs(offset) / 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    date: formatDate(day),
    time: formatTime(seconds),
    offset: `${offset < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`,
  };
}

/**
 * The service day (a day number) an instant belongs to, where a service day starts at
 * `dayStartSeconds` past local midnight (04:30 for the SMA's fares): an instant before that is
 * the day before's.
 */
export function serviceDayOf(zone: string, dayStartSeconds: number, epochMs: number): number {
  const { day, seconds } = utcToLocal(zone, epochMs);
  return seconds < dayStartSeconds ? day - 1 : day;
}

/** Seconds on the service day `serviceDay`'s clock (noon minus 12 h) of a UTC instant; may be negative or > 24 h. */
export function utcToServiceTime(zone: string, serviceDay: number, epochMs: number): number {
  return Math.floor((epochMs - serviceTimeToUtc(zone, serviceDay, 0)) / 1000);
}
