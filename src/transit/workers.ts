/**
 * Matrices and comparisons off the event loop. One uncached matrix of a large feed takes seconds
 * of CPU; on the server's own thread it would stall every other request meanwhile, health checks
 * included. So the server hands them to a few worker threads (piscina), each with its own
 * TransitService that loads timetables from the on-disk cache, and refuses more than the threads
 * plus a short queue can take with 503 `busy` and Retry-After, rather than queueing without end.
 */
import type { Piscina } from 'piscina';
import type { Config } from '../lib/config.ts';
import { type ProblemCode, problem } from '../lib/errors.ts';
import type { Comparison, TravelTimeMatrix } from './model.ts';
import type { TransitService } from './service.ts';

/** What a worker is asked: one of the heavy methods, with the query as the route validated it. */
export type HeavyTask =
  | { method: 'matrix'; query: Parameters<TransitService['matrix']>[0] }
  | { method: 'compare'; query: Parameters<TransitService['compare']>[0] };

/** A worker's answer: the result, or the problem it ran into (errors lose their class in transit). */
export type HeavyResult =
  | { ok: unknown }
  | { problem: { code: ProblemCode; detail: string; field?: string } };

/** Seconds a client is told to wait when the workers are saturated. */
const BUSY_RETRY_AFTER = 2;

export class TransitWorkers {
  private pool: Promise<Piscina> | undefined;
  private inFlight = 0;

  constructor(private readonly config: Config) {}

  matrix(query: Parameters<TransitService['matrix']>[0]): Promise<TravelTimeMatrix> {
    return this.run({ method: 'matrix', query }) as Promise<TravelTimeMatrix>;
  }

  compare(query: Parameters<TransitService['compare']>[0]): Promise<Comparison> {
    return this.run({ method: 'compare', query }) as Promise<Comparison>;
  }

  private async run(task: HeavyTask): Promise<unknown> {
    const capacity = this.config.transitWorkers + this.config.transitQueue;
    if (this.inFlight >= capacity) {
      throw problem(
        'busy',
        `${this.inFlight} matrices and comparisons are being computed or waiting; retry in ${BUSY_RETRY_AFTER} s`,
        undefined,
        { retryAfter: BUSY_RETRY_AFTER },
      );
    }
    this.inFlight++;
    try {
      const result: HeavyResult = await (await this.start()).run(task);
      if ('problem' in result)
        throw problem(result.problem.code, result.problem.detail, result.problem.field);
      return result.ok;
    } finally {
      this.inFlight--;
    }
  }

  /** The pool, started on first use: a server nobody asks for a matrix spawns no thread. */
  private start(): Promise<Piscina> {
    this.pool ??= (async () => {
      const { Piscina } = await import('piscina');
      // Bundled (dist/cli/main.mjs), the bundle is the worker too and exports the task; from the
      // sources (tests), the worker file is TypeScript, which tsx compiles.
      const bundled = !import.meta.url.endsWith('.ts');
      return new Piscina({
        filename: bundled ? import.meta.url : new URL('./worker.ts', import.meta.url).href,
        name: 'transitTask',
        minThreads: this.config.transitWorkers,
        maxThreads: this.config.transitWorkers,
        idleTimeout: Number.POSITIVE_INFINITY,
        workerData: this.config,
        ...(bundled ? {} : { execArgv: [...process.execArgv, '--import', 'tsx'] }),
      });
    })();
    return this.pool;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await (await pool).destroy();
  }
}
