/**
 * Memory after loading the SMA today timetable (from the bench's binary cache, built first if missing) in a
 * process that has loaded nothing else; GC runs first when node has --expose-gc. Typed arrays are counted
 * in arrayBuffers, not heapUsed.
 */
import { log, memory, round, runIfMain, smaTimetable } from './common.ts';

export async function smaMemory() {
  await import('../../src/transit/timetable.ts');
  const before = memory();
  log('sma memory: loading timetable');
  const { tt, ms } = await smaTimetable();
  const after = memory();
  return {
    loadMs: round(ms, 1),
    stops: tt.stopCount,
    stopTimes: tt.arrivals.length,
    patterns: tt.patternCount,
    beforeLoad: before,
    afterLoad: after,
  };
}

runIfMain(import.meta.url, () => smaMemory());
