/**
 * Service days: which services run on which date, as one bitset per service over the dates the feed covers.
 *
 * Bitsets make "is this trip running today" one array read during a search, and they serialise as they
 * are. A date outside the covered range is a question the feed cannot answer, so it gets its own Problem
 * instead of an empty journey list.
 */
import { problem } from '../lib/errors.ts';
import { formatDate, weekday } from '../lib/time.ts';
import type { Feed } from './gtfs.ts';

export interface ServiceDays {
  /** Day number of the first covered date. */
  firstDay: number;
  dayCount: number;
  /** Words per service; bit d of service s is `bits[s * words + (d >> 5)] >>> (d & 31) & 1`. */
  words: number;
  bits: Uint32Array;
}

export interface Coverage {
  /** `YYYY-MM-DD`, inclusive. */
  start: string;
  end: string;
  firstDay: number;
  lastDay: number;
}

export function buildServiceDays(feed: Feed): ServiceDays {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const s of feed.services) {
    if (s.start !== undefined) first = Math.min(first, s.start);
    if (s.end !== undefined) last = Math.max(last, s.end);
    for (const d of s.added) {
      first = Math.min(first, d);
      last = Math.max(last, d);
    }
  }
  // feed_info's validity, when given, is the publisher's word on what the feed covers.
  if (feed.info?.start !== undefined) first = feed.info.start;
  if (feed.info?.end !== undefined) last = feed.info.end;
  if (!Number.isFinite(first) || !Number.isFinite(last) || last < first) {
    throw problem('gtfs-invalid', 'the feed has no service on any date', 'calendar.txt');
  }
  const dayCount = last - first + 1;
  const words = (dayCount + 31) >> 5;
  const bits = new Uint32Array(words * feed.services.length);
  const set = (s: number, day: number, on: boolean) => {
    const d = day - first;
    if (d < 0 || d >= dayCount) return;
    const mask = 1 << (d & 31);
    if (on) bits[s * words + (d >> 5)] |= mask;
    else bits[s * words + (d >> 5)] &= ~mask;
  };
  feed.services.forEach((s, i) => {
    if (s.start !== undefined && s.end !== undefined) {
      for (let day = Math.max(s.start, first); day <= Math.min(s.end, last); day++) {
        if (s.weekdays & (1 << weekday(day))) set(i, day, true);
      }
    }
    for (const day of s.added) set(i, day, true);
    for (const day of s.removed) set(i, day, false);
  });
  return { firstDay: first, dayCount, words, bits };
}

export function isServiceActive(days: ServiceDays, service: number, day: number): boolean {
  const d = day - days.firstDay;
  if (d < 0 || d >= days.dayCount) return false;
  return ((days.bits[service * days.words + (d >> 5)] >>> (d & 31)) & 1) === 1;
}

export function coverageOf(days: ServiceDays): Coverage {
  const lastDay = days.firstDay + days.dayCount - 1;
  return { start: formatDate(days.firstDay), end: formatDate(lastDay), firstDay: days.firstDay, lastDay };
}

export function isCovered(days: ServiceDays, day: number): boolean {
  return day >= days.firstDay && day < days.firstDay + days.dayCount;
}

/** The Problem for a date the feed says nothing about; 422 because the request is well-formed. */
export function outsideCoverage(days: ServiceDays, day: number, field = 'date') {
  const c = coverageOf(days);
  return problem(
    'date-outside-feed',
    `the feed covers ${c.start} to ${c.end}; ${formatDate(day)} is outside it`,
    field,
  );
}

/** Throws the coverage Problem unless the feed covers `day`. */
export function assertCovered(days: ServiceDays, day: number, field = 'date'): void {
  if (!isCovered(days, day)) throw outsideCoverage(days, day, field);
}
