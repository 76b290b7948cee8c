/**
 * Shared bits of the transit benchmarks: a seeded RNG, percentiles, per-call timing, memory snapshots, the SMA
 * timetable (through the same binary cache the server uses), and the "run alone" entry point that prints one
 * JSON object on stdout and sends progress to stderr.
 */
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedTimetable, type Timetable } from '../../src/transit/timetable.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SMA_DIR = path.join(ROOT, 'data/regions/sma');
export const SMA_TODAY = path.join(SMA_DIR, 'gtfs/today');
export const SMA_DATE = '2026-12-01';
/** Benchmarks keep their own timetable cache so they never touch the server's var/ folder. */
export const CACHE_DIR = path.join(tmpdir(), 'tongcheng-bench-cache');

export const randInt = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export interface Stats {
  n: number;
  median: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
}

export function stats(samples: number[], digits = 3): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return {
    n: s.length,
    median: round(percentile(s, 50), digits),
    p90: round(percentile(s, 90), digits),
    p99: round(percentile(s, 99), digits),
    mean: round(mean, digits),
    max: round(s[s.length - 1] ?? Number.NaN, digits),
  };
}

/** Milliseconds taken by `fn`, from the monotonic clock. */
export function timeMs<T>(fn: () => T): [number, T] {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return [Number(process.hrtime.bigint() - t0) / 1e6, value];
}

/**
 * Times each query on its own (every query is different, so one sample per query, not a batch mean),
 * after running `warmup` of them untimed so the JIT has settled.
 */
export function timeEach<Q>(
  queries: Q[],
  run: (q: Q) => unknown,
  warmup = Math.min(200, queries.length),
): number[] {
  for (let i = 0; i < warmup; i++) run(queries[i % queries.length]);
  const out: number[] = new Array(queries.length);
  for (let i = 0; i < queries.length; i++) {
    const t0 = process.hrtime.bigint();
    run(queries[i]);
    out[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  return out;
}

export const gcAvailable = typeof globalThis.gc === 'function';

export function memory() {
  if (globalThis.gc) {
    globalThis.gc();
    globalThis.gc();
  }
  const m = process.memoryUsage();
  const mb = (x: number) => round(x / 2 ** 20, 1);
  // Typed arrays live outside the JS heap: arrayBuffers is where a timetable mostly shows up.
  return {
    rssMb: mb(m.rss),
    heapUsedMb: mb(m.heapUsed),
    arrayBuffersMb: mb(m.arrayBuffers),
    externalMb: mb(m.external),
    gc: gcAvailable,
  };
}

export function machine() {
  const c = cpus();
  return {
    cpus: c.length,
    cpuModel: c[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export function log(message: string): void {
  process.stderr.write(`[bench:transit] ${message}\n`);
}

/** The SMA today timetable, from the bench cache (built on the first run). */
export async function smaTimetable(): Promise<{ tt: Timetable; ms: number }> {
  const t0 = process.hrtime.bigint();
  const tt = await cachedTimetable(SMA_TODAY, CACHE_DIR);
  return { tt, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

/** When `url` is the script node was started with, run `main` and print its result as JSON. */
export function runIfMain(url: string, main: () => Promise<unknown>): void {
  if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(url)) {
    main().then(
      (result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`),
      (error) => {
        process.stderr.write(`${error?.stack ?? error}\n`);
        process.exit(1);
      },
    );
  }
}

export { round };
