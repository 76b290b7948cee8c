/**
 * The files of a GTFS-like feed, from a folder or a .zip, by bare file name: what the timetable
 * reader (transit) and the fare reader (fares) both start from. Also a small synchronous CSV
 * reader for the small tables (fares, areas) that need no streaming.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { Unzip, UnzipInflate } from 'fflate';
import { isProblem, type Problem, problem } from './errors.ts';

function feedProblem(detail: string, field?: string): Problem {
  return problem('gtfs-invalid', detail, field);
}

/**
 * A zip is read entry by entry and refused once it inflates beyond these: 2 GiB in all, or, past
 * the first 16 MiB, 100 bytes per byte of zip read (GTFS text compresses about tenfold). So a zip
 * bomb fails after a few MiB of memory, where inflating it whole would take gigabytes.
 */
export const ZIP_LIMITS = { maxBytes: 2 * 1024 ** 3, maxRatio: 100, ratioFromBytes: 16 * 1024 ** 2 };

/** Small reads, so that one push inflates at most about 16 MiB before the limits are checked. */
const ZIP_CHUNK = 16 * 1024;

/** The .txt files of a feed, by bare file name. */
export function readFeedFiles(source: string): Map<string, Uint8Array> {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(source);
  } catch {
    throw feedProblem(`no GTFS feed at ${source}`, 'source');
  }
  const files = new Map<string, Uint8Array>();
  if (stat.isDirectory()) {
    for (const name of readdirSync(source)) {
      const file = path.join(source, name);
      // Only regular files: a FIFO named stops.txt would block the read for ever.
      if (name.endsWith('.txt') && statSync(file).isFile()) files.set(name, readFileSync(file));
    }
    return files;
  }
  if (!stat.isFile())
    throw problem('not-gtfs', `${source} is neither a GTFS folder nor a zip file`, 'source');
  return loadZip(source);
}

function loadZip(source: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const unfinished = new Set<string>();
  let read = 0;
  let inflated = 0;
  const unzip = new Unzip((file) => {
    // Some producers put the files in a folder inside the zip.
    const base = file.name.split('/').pop() ?? file.name;
    if (!base.endsWith('.txt') || file.name.includes('__MACOSX')) return;
    const chunks: Uint8Array[] = [];
    unfinished.add(file.name);
    file.ondata = (error, data, final) => {
      if (error) throw feedProblem(`${source}: ${file.name} cannot be unzipped (${error.message})`, 'source');
      inflated += data.length;
      const { maxBytes, maxRatio, ratioFromBytes } = ZIP_LIMITS;
      if (inflated > maxBytes || (inflated > ratioFromBytes && inflated > maxRatio * read)) {
        throw feedProblem(
          `${source}: refused as a zip bomb: ${file.name} and the files before it inflate to more than ${inflated > maxBytes ? `${maxBytes / 1024 ** 3} GiB` : `${maxRatio} times the ${read} bytes of zip read`}`,
          'source',
        );
      }
      chunks.push(data);
      if (final) {
        files.set(base, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
        unfinished.delete(file.name);
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  let fd: number;
  try {
    fd = openSync(source, 'r');
  } catch (error) {
    throw feedProblem(`${source} cannot be read (${(error as Error).message})`, 'source');
  }
  try {
    for (;;) {
      // A fresh chunk each time: the unzipper may keep a reference to what it was given.
      const chunk = Buffer.allocUnsafe(ZIP_CHUNK);
      const n = readSync(fd, chunk, 0, ZIP_CHUNK, null);
      if (read === 0 && (n < 4 || chunk.readUInt32LE(0) !== 0x04034b50)) {
        throw feedProblem(`${source} is not a readable zip file (it does not begin like one)`, 'source');
      }
      read += n;
      unzip.push(chunk.subarray(0, n), n === 0);
      if (n === 0) break;
    }
  } catch (error) {
    if (isProblem(error)) throw error;
    throw feedProblem(`${source} is not a readable zip file (${(error as Error).message})`, 'source');
  } finally {
    closeSync(fd);
  }
  if (unfinished.size > 0) {
    throw feedProblem(`${source} ends before ${[...unfinished][0]} does: the zip is truncated`, 'source');
  }
  return files;
}

export function hashFeedFiles(files: Map<string, Uint8Array>): string {
  const hash = createHash('sha256');
  for (const name of [...files.keys()].sort()) {
    hash.update(name);
    hash.update('\0');
    hash.update(files.get(name)!);
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** One row of a CSV table: values by column name (trimmed, '' when absent), and its line. */
export interface CsvRow {
  get(column: string): string;
  has(column: string): boolean;
  line: number;
}

/**
 * The rows of one small CSV table, read at once; undefined when the feed has no such file. A
 * missing required column or unreadable CSV is a 422 `gtfs-invalid` naming the file.
 */
export function readCsvRows(
  files: Map<string, Uint8Array>,
  file: string,
  required: readonly string[] = [],
): CsvRow[] | undefined {
  const bytes = files.get(file);
  if (!bytes) return undefined;
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const e = error as Error & { lines?: number };
    throw feedProblem(`${file} line ${e.lines ?? '?'}: not valid CSV (${e.message})`, file);
  }
  if (records.length === 0) throw feedProblem(`${file} is empty: it needs at least a header line`, file);
  const columns = new Map(records[0].record.map((name, i) => [name.trim(), i]));
  for (const column of required) {
    if (!columns.has(column)) {
      throw problem('gtfs-invalid', `${file} line 1, field ${column}: required column is missing`, column);
    }
  }
  return records
    .slice(1)
    .filter(({ record }) => !(record.length === 1 && record[0].trim() === ''))
    .map(({ record, info }) => ({
      line: info.lines,
      has: (column: string) => columns.has(column),
      get: (column: string) => {
        const index = columns.get(column);
        return index === undefined ? '' : (record[index] ?? '').trim();
      },
    }));
}
