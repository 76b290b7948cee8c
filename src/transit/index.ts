/**
 * The transit module's public face: GTFS in, a compact timetable, and journeys, departure
 * boards, matrices and comparisons on top. Its service needs no database: timetables are files,
 * built once per feed and cached under the var folder. Tests and benchmarks import the
 * internals (raptor.ts, timetable.ts …) directly.
 */
import { join } from 'node:path';
import { defineModule } from '../module.ts';
import { regionModule } from '../region/index.ts';
import { transitCommands } from './commands.ts';
import { FeedRegistry } from './feeds.ts';
import { transitRoutes } from './routes.ts';
import { TransitService } from './service.ts';
import { TransitWorkers } from './workers.ts';

export type * from './model.ts';
export type { TransitService } from './service.ts';

/** What the module keeps beside each service it opened: its registry, and the server's workers. */
const parts = new WeakMap<TransitService, { feeds: FeedRegistry; workers: TransitWorkers }>();

export const transitModule = defineModule<TransitService>({
  name: 'transit',
  open: async ({ config, use }) => {
    const region = await use(regionModule);
    const feeds = new FeedRegistry(join(config.regionDir, 'gtfs'), config.varDir, config.transitCachedFeeds);
    const transit = new TransitService(region, feeds);
    parts.set(transit, { feeds, workers: new TransitWorkers(config) });
    return transit;
  },
  warm: async (transit, warn) => {
    await transit.warm();
    for (const d of parts.get(transit)!.feeds.damaged()) {
      warn(`feed "${d.id}" is skipped: ${d.file} ${d.reason}`);
    }
  },
  routes: (app, transit) => {
    const { workers } = parts.get(transit)!;
    app.addHook('onClose', () => workers.close());
    transitRoutes(app, transit, workers);
  },
  commands: transitCommands,
});
