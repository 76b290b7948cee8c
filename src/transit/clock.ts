/**
 * Wall-clock readings at a stop: the local date, time and UTC offset of an instant in the stop's zone.
 *
 * Asking Intl for a zone's offset costs microseconds, and a journey or a board asks for dozens of them,
 * so offsets are kept per zone and hour; an hour in which the offset changes (a clock change) is never
 * kept and is asked for each time.
 */
import { formatDate, zoneOffset } from '../lib/time.ts';

const HOUR_MS = 3_600_000;
const offsets = new Map<string, number>();

function offsetAt(zone: string, epochMs: number): number {
  const hour = Math.floor(epochMs / HOUR_MS);
  const key = `${zone}|${hour}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  const start = zoneOffset(zone, hour * HOUR_MS);
  if (zoneOffset(zone, (hour + 1) * HOUR_MS - 1000) !== start) return zoneOffset(zone, epochMs);
  if (offsets.size > 50_000) offsets.clear();
  offsets.set(key, start);
  return start;
}

const pad = (n: number) => String(n).padStart(2, '0');

export interface LocalReading {
  /** `YYYY-MM-DD` at the stop. */
  date: string;
  /** `HH:MM:SS`, 00:00:00 to 23:59:59. */
  time: string;
  /** `+08:00`, `-05:00`. */
  offset: string;
}

export function localReading(zone: string, epochMs: number): LocalReading {
  const offset = offsetAt(zone, epochMs);
  const local = Math.floor((epochMs + offset) / 1000);
  const day = Math.floor(local / 86_400);
  const s = local - day * 86_400;
  const minutes = Math.round(Math.abs(offset) / 60_000);
  return {
    date: formatDate(day),
    time: `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`,
    offset: `${offset < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`,
  };
}
