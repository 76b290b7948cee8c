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

export type * from './model.ts';
export type { TransitService } from './service.ts';

export const transitModule = defineModule<TransitService>({
  name: 'transit',
  open: async (env) => {
    const region = await env.use(regionModule);
    return new TransitService(
      region,
      new FeedRegistry(join(env.config.regionDir, 'gtfs'), env.config.varDir),
    );
  },
  warm: (transit) => transit.warm(),
  routes: transitRoutes,
  commands: transitCommands,
});
