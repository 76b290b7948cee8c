/**
 * SMA matrix: city × city travel-time matrix on the today feed, 2026-12-01, departures 07:00–09:00 every
 * minute (121 departures). Zones are the pack's cities, each with its station indices (the `city` of each
 * station in gtfs/lines.json; a station missing there goes to the nearest city centroid of region.json).
 *
 * When src/transit/matrix.ts exists, its `travelTimeMatrix` is timed. Until then the same work is done
 * here: one rRAPTOR (`rangeRaptor`) per origin city over all its stations, then per destination city the
 * best arrival over its stations per departure, and p10/p25/median/p75/p90 over departures.
 * The whole matrix is timed `repeats` times (first run included in `runsMs`, median reported).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseDate } from '../../src/lib/time.ts';
import { rangeRaptor, stopIndexById, type Timetable, UNREACHED } from '../../src/transit/index.ts';
import { log, percentile, ROOT, runIfMain, SMA_DATE, SMA_DIR, smaTimetable, stats } from './common.ts';

export interface Zone {
  id: string;
  stops: number[];
}

export function smaZones(tt: Timetable): Zone[] {
  const lines = JSON.parse(readFileSync(path.join(SMA_DIR, 'gtfs/lines.json'), 'utf8')) as {
    stations: { id: string; city: string }[];
  };
  const region = JSON.parse(readFileSync(path.join(SMA_DIR, 'region.json'), 'utf8')) as {
    cities: { id: string; centroid: [number, number] }[];
  };
  const cityOf = new Map(lines.stations.map((s) => [s.id, s.city]));
  const zones = new Map<string, number[]>(region.cities.map((c) => [c.id, []]));
  for (let s = 0; s < tt.stopCount; s++) {
    if (tt.stopLocationType[s] !== 0) continue;
    let city = cityOf.get(tt.stopIds[s]) ?? cityOf.get(tt.stopIds[tt.stopParent[s]] ?? '');
    if (!city) {
      let best = Number.POSITIVE_INFINITY;
      for (const c of region.cities) {
        const d = (c.centroid[0] - tt.stopLon[s]) ** 2 + (c.centroid[1] - tt.stopLat[s]) ** 2;
        if (d < best) {
          best = d;
          city = c.id;
        }
      }
    }
    if (city) {
      if (!zones.has(city)) zones.set(city, []);
      zones.get(city)!.push(s);
    }
  }
  // Sanity: the ids in lines.json are the feed's stop ids.
  if (stopIndexById(tt, lines.stations[0].id) === undefined)
    log('warning: lines.json station ids not found in feed');
  return [...zones].filter(([, stops]) => stops.length > 0).map(([id, stops]) => ({ id, stops }));
}

type Cell = {
  from: string;
  to: string;
  p10: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  p90: number | null;
  reachable: number;
};

/** The stand-in for travelTimeMatrix: rRAPTOR per origin zone, percentiles of minutes over departures. */
export function rangeMatrix(tt: Timetable, day: number, zones: Zone[], from: number, to: number) {
  const cells: Cell[] = [];
  let departures = 0;
  for (const origin of zones) {
    const res = rangeRaptor(tt, {
      origins: origin.stops.map((stop) => ({ stop, access: 0 })),
      day,
      from,
      to,
      step: 60,
    });
    departures = res.departures.length;
    for (const dest of zones) {
      const times: number[] = [];
      for (let i = 0; i < res.departures.length; i++) {
        const row = res.arrivals[i];
        let best = UNREACHED;
        for (const s of dest.stops) if (row[s] < best) best = row[s];
        times.push(best >= UNREACHED ? Number.POSITIVE_INFINITY : (best - res.departures[i]) / 60);
      }
      times.sort((a, b) => a - b);
      const q = (p: number) => {
        const v = percentile(times, p);
        return Number.isFinite(v) ? v : null;
      };
      cells.push({
        from: origin.id,
        to: dest.id,
        p10: q(10),
        p25: q(25),
        median: q(50),
        p75: q(75),
        p90: q(90),
        reachable: times.filter(Number.isFinite).length,
      });
    }
  }
  return { cells, departures };
}

export async function smaMatrix(repeats = 5) {
  const { tt } = await smaTimetable();
  const day = parseDate(SMA_DATE);
  const zones = smaZones(tt);
  const matrixFile = path.join(ROOT, 'src/transit/matrix.ts');
  let impl = 'bench rangeRaptor per origin city (src/transit/matrix.ts not present)';
  let compute = () => rangeMatrix(tt, day, zones, 7 * 3600, 9 * 3600);
  if (existsSync(matrixFile)) {
    const mod = (await import(pathToFileURL(matrixFile).href)) as Record<string, unknown>;
    if (typeof mod.travelTimeMatrix === 'function') {
      const travelTimeMatrix = mod.travelTimeMatrix as (
        t: Timetable,
        q: unknown,
      ) => { cells: Cell[]; departures: number };
      impl = 'src/transit/matrix.ts travelTimeMatrix';
      compute = () => travelTimeMatrix(tt, { date: SMA_DATE, from: '07:00', to: '09:00', zones });
    }
  }
  log(`sma matrix: ${zones.length} zones via ${impl}`);
  const runs: number[] = [];
  let last: ReturnType<typeof compute> | undefined;
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    last = compute();
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const st = stats(runs, 1);
  const cells = last?.cells ?? [];
  const sample = cells.find((c) => c.from === 'shanghai' && c.to === 'suzhou');
  return {
    impl,
    zones: zones.map((z) => ({ id: z.id, stations: z.stops.length })),
    window: '07:00–09:00 every 60 s',
    departures: last?.departures,
    cells: cells.length,
    reachableCells: cells.filter((c) => c.reachable > 0).length,
    sampleCell: sample,
    repeats,
    runsMs: runs.map((x) => Number(x.toFixed(1))),
    medianMs: st.median,
    firstRunMs: Number(runs[0].toFixed(1)),
  };
}

runIfMain(import.meta.url, () => smaMatrix());
