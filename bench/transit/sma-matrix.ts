/**
 * SMA matrix: the city × city travel-time matrix users get (`TransitService.matrix`, as behind
 * `tongcheng matrix` and `GET /api/transit/matrix`) on the today feed, departures 07:00–09:00 every
 * minute (121 departures), centre to centre with access and egress. Each repeat asks for another date
 * (2026-12-01, -02, …) so that no result comes from the service's memo; the first includes loading the
 * timetable from its cache.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadRegionPack, Region } from '../../src/region/index.ts';
import { FeedRegistry } from '../../src/transit/feeds.ts';
import { TransitService } from '../../src/transit/service.ts';
import { log, runIfMain, SMA_DIR, stats } from './common.ts';

export async function smaMatrix(repeats = 5) {
  const region = new Region(loadRegionPack(SMA_DIR));
  const transit = new TransitService(
    region,
    new FeedRegistry(path.join(SMA_DIR, 'gtfs'), mkdtempSync(path.join(tmpdir(), 'tongcheng-bench-'))),
  );
  await transit.stats({ date: '2026-12-01' });
  const runs: number[] = [];
  let last: Awaited<ReturnType<TransitService['matrix']>> | undefined;
  for (let i = 0; i < repeats; i++) {
    const date = `2026-12-${String(i + 1).padStart(2, '0')}`;
    const t0 = process.hrtime.bigint();
    last = await transit.matrix({ date, window: '07:00-09:00' });
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  log(`sma matrix: ${last?.places.length} places, ${last?.cells.length} cells`);
  const st = stats(runs, 1);
  return {
    impl: 'TransitService.matrix (travelTimeMatrix over the region’s cities, with access and egress)',
    places: last?.places.map((p) => p.id),
    window: '07:00–09:00 every 60 s',
    departures: last?.departures,
    cells: last?.cells.length,
    reachableCells: last?.cells.filter((c) => c.reachable > 0).length,
    sampleCell: last?.cells.find((c) => c.from === 'shanghai' && c.to === 'suzhou'),
    repeats,
    runsMs: runs.map((x) => Number(x.toFixed(1))),
    medianMs: st.median,
  };
}

runIfMain(import.meta.url, () => smaMatrix());
