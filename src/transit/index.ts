/**
 * The transit module's public face: GTFS in, a compact timetable, and journeys, departure
 * boards, matrices and comparisons on top. Its service needs no database: timetables are files,
 * built once per feed and cached under the var folder. Tests and benchmarks import the
 * internals (raptor.ts, timetable.ts …) directly.
 */
import { join } from 'node:path';
import { faresModule } from '../fares/index.ts';
import { defineModule } from '../module.ts';
import { regionModule } from '../region/index.ts';
import { transitCommands } from './commands.ts';
import { FeedRegistry } from './feeds.ts';
import { transitRoutes } from './routes.ts';
import { TransitService } from './service.ts';
import { TransitWorkers } from './workers.ts';

export type * from './model.ts';
export type { TransitService } from './service.ts';

export const transitModule = defineModule<TransitService>({
  name: 'transit',
  open: async ({ config, use }) => {
    const region = await use(regionModule);
    const fares = await use(faresModule);
    return new TransitService(
      region,
      new FeedRegistry(join(config.regionDir, 'gtfs'), config.varDir, config.transitCachedFeeds),
      () => fares.regional(),
    );
  },
  warm: async (transit, warn) => {
    await transit.warm();
    for (const d of transit.damagedFeeds()) {
      warn(`feed "${d.id}" is skipped: ${d.file} ${d.reason}`);
    }
  },
  routes: (app, transit, config) => {
    // Matrices and comparisons asked over HTTP run in worker threads (see workers.ts).
    const workers = new TransitWorkers(config);
    app.addHook('onClose', () => workers.close());
    transitRoutes(app, transit, workers);
  },
  commands: transitCommands,
});
