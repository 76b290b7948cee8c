/**
 * The timetable cache's format, measured: the hand-written one (`serializeTimetable`: a JSON header, then
 * the typed arrays as they are) against `node:v8` serialize/deserialize of the same object, on the SMA
 * timetable and on the generated large network. Five rounds each, median ms, and the size.
 */
import { deserialize, serialize } from 'node:v8';
import {
  buildTimetable,
  deserializeTimetable,
  serializeTimetable,
  type Timetable,
} from '../../src/transit/timetable.ts';
import { log, runIfMain, smaTimetable, stats, timeMs } from './common.ts';
import { generateLargeFeed } from './large-network.ts';

function measure(tt: Timetable) {
  const formats = {
    handWritten: { write: serializeTimetable, read: (b: Buffer) => deserializeTimetable(b) },
    v8: { write: (t: Timetable) => serialize(t), read: (b: Buffer) => deserialize(b) as Timetable },
  };
  const out: Record<string, { mb: number; serializeMs: number; deserializeMs: number }> = {};
  for (const [name, format] of Object.entries(formats)) {
    const writes: number[] = [];
    const reads: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 5; i++) {
      const [writeMs, buffer] = timeMs(() => format.write(tt));
      const [readMs, back] = timeMs(() => format.read(buffer));
      if (back.departures.length !== tt.departures.length) throw new Error(`${name} lost departures`);
      writes.push(writeMs);
      reads.push(readMs);
      bytes = buffer.length;
    }
    out[name] = {
      mb: Number((bytes / 2 ** 20).toFixed(2)),
      serializeMs: stats(writes, 1).median,
      deserializeMs: stats(reads, 1).median,
    };
  }
  return out;
}

export async function cacheFormat() {
  log('cache-format: SMA');
  const sma = measure((await smaTimetable()).tt);
  log('cache-format: large network');
  const large = measure(buildTimetable(generateLargeFeed({ seed: 42 }).feed));
  return { sma, large };
}

runIfMain(import.meta.url, cacheFormat);
