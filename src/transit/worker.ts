/**
 * A worker thread of `TransitWorkers`: a TransitService of its own (the region pack and the feed
 * registry, no database), opened on the first task, answering matrices and comparisons.
 */
import { workerData } from 'node:worker_threads';
import { faresModule } from '../fares/index.ts';
import type { Config } from '../lib/config.ts';
import { isProblem } from '../lib/errors.ts';
import { openRuntime } from '../modules.ts';
import { regionModule } from '../region/index.ts';
import { transitModule } from './index.ts';
import type { TransitService } from './service.ts';
import type { HeavyResult, HeavyTask } from './workers.ts';

let service: Promise<TransitService> | undefined;

export async function transitTask(task: HeavyTask): Promise<HeavyResult> {
  service ??= openRuntime(workerData as Config, 'read', [regionModule, faresModule, transitModule]).then(
    (runtime) => runtime.service(transitModule),
  );
  const transit = await service;
  try {
    return {
      ok: task.method === 'matrix' ? await transit.matrix(task.query) : await transit.compare(task.query),
    };
  } catch (error) {
    if (isProblem(error)) {
      return {
        problem: { code: error.code, detail: error.message, ...(error.field ? { field: error.field } : {}) },
      };
    }
    throw error;
  }
}
