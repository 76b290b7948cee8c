/**
 * The fares module's public face: GTFS-Fares v2 feeds (and Tongcheng's extension) priced by one
 * engine; the region's fares read once from the pack. It needs no database.
 */
import path from 'node:path';
import { defineModule } from '../module.ts';
import { regionModule } from '../region/index.ts';
import { faresCommands } from './commands.ts';
import { faresRoutes } from './routes.ts';
import { FaresService } from './service.ts';

export type { FareEngine } from './engine.ts';
export type { FareLeg, LegFare, Quote, QuoteOptions } from './model.ts';
export type { FaresService } from './service.ts';

export const faresModule = defineModule<FaresService>({
  name: 'fares',
  open: async ({ config, use }) => {
    // The region is opened first so that a broken pack fails as it does for every module.
    await use(regionModule);
    return new FaresService(path.join(config.regionDir, 'fares'));
  },
  warm: async (fares, warn) => {
    try {
      fares.regional();
    } catch (error) {
      warn(`the region's fares are not available: ${(error as Error).message}`);
    }
  },
  routes: faresRoutes,
  commands: faresCommands,
});
