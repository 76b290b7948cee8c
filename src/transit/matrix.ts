/**
 * Zone-to-zone travel times over a departure window, the way accessibility studies measure
 * them (R5, Conveyal): for every minute of the window, the time from leaving the origin zone
 * (through any of its stops, each with its access time) to reaching the destination zone
 * (through any of its stops, with the same time to get out), waiting included; then percentiles
 * over the minutes. A minute with no journey counts as unreachable, so a percentile that falls
 * on such minutes is null rather than flattering.
 */
import { problem } from '../lib/errors.ts';
import { parseDate, parseTime } from '../lib/time.ts';
import { assertCovered } from './calendar.ts';
import { DEFAULT_MAX_ROUNDS, rangeRaptor, UNREACHED } from './raptor.ts';
import type { Timetable } from './timetable.ts';

export interface Zone {
  id: string;
  stops: number[];
  /** Seconds from the zone's centre to each stop (and back), parallel to `stops`; 0 when absent. */
  access?: number[];
}

export interface MatrixCell {
  from: string;
  to: string;
  /** Minutes, one decimal; null when the percentile falls on minutes with no journey. */
  p10: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  p90: number | null;
  /** Share of the window's departure minutes with a journey, 0 to 1. */
  reachable: number;
}

export interface MatrixQuery {
  date: string;
  /** Window start and end, `HH:MM`, inclusive, one departure a minute. */
  from: string;
  to: string;
  zones: Zone[];
  maxTransfers?: number;
  /** Called after each origin zone, for progress bars. */
  onProgress?: (done: number, total: number) => void;
}

export interface Matrix {
  cells: MatrixCell[];
  /** Departure minutes in the window. */
  departures: number;
}

/** Nearest-rank percentile of sorted values (Infinity for unreachable). */
function percentile(sorted: Float64Array, p: number): number | null {
  const value = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return Number.isFinite(value) ? Math.round(value * 10) / 10 : null;
}

export function travelTimeMatrix(tt: Timetable, query: MatrixQuery): Matrix {
  const day = parseDate(query.date, 'date');
  const from = parseTime(query.from, 'from');
  const to = parseTime(query.to, 'to');
  if (to < from)
    throw problem(
      'invalid-window',
      `the window ends (${query.to}) before it starts (${query.from})`,
      'window',
    );
  if (to - from > 6 * 3600)
    throw problem('invalid-window', 'the window may be at most 6 hours long', 'window');
  assertCovered(tt.service, day, 'date');
  const maxRounds = query.maxTransfers === undefined ? DEFAULT_MAX_ROUNDS : query.maxTransfers + 1;
  const zones = query.zones.filter((z) => z.stops.length > 0);
  const cells: MatrixCell[] = [];
  let departures = 0;
  zones.forEach((origin, done) => {
    const range = rangeRaptor(tt, {
      origins: origin.stops.map((stop, i) => ({ stop, access: origin.access?.[i] ?? 0 })),
      day,
      from,
      to,
      step: 60,
      maxRounds,
    });
    departures = range.departures.length;
    const minutes = new Float64Array(departures);
    for (const destination of zones) {
      if (destination === origin) continue;
      let reached = 0;
      for (let i = 0; i < departures; i++) {
        let best = UNREACHED;
        const row = range.arrivals[i];
        for (let k = 0; k < destination.stops.length; k++) {
          const at = row[destination.stops[k]];
          if (at < UNREACHED && at + (destination.access?.[k] ?? 0) < best)
            best = at + (destination.access?.[k] ?? 0);
        }
        minutes[i] = best >= UNREACHED ? Number.POSITIVE_INFINITY : (best - range.departures[i]) / 60;
        if (best < UNREACHED) reached++;
      }
      minutes.sort();
      cells.push({
        from: origin.id,
        to: destination.id,
        p10: percentile(minutes, 10),
        p25: percentile(minutes, 25),
        median: percentile(minutes, 50),
        p75: percentile(minutes, 75),
        p90: percentile(minutes, 90),
        reachable: departures ? Math.round((reached / departures) * 1000) / 1000 : 0,
      });
    }
    query.onProgress?.(done + 1, zones.length);
  });
  return { cells, departures };
}
