/** The region module's public face: the loaded pack and "where is this point". */
import { defineModule } from '../module.ts';
import { regionCommands } from './commands.ts';
import { loadRegionPack } from './pack.ts';
import { Region } from './region.ts';
import { regionRoutes } from './routes.ts';

export type {
  Boundaries,
  BoundaryKind,
  City,
  District,
  Jurisdiction,
  LinkedPlace,
  Location,
  LonLat,
  Museum,
  Museums,
  PackParty,
  RegionPack,
  RegionSummary,
} from './model.ts';
export { loadRegionPack, RegionPackError } from './pack.ts';
export { foldName, Region } from './region.ts';

/** Its service is the loaded region itself: every other module reads places from it. */
export const regionModule = defineModule<Region>({
  name: 'region',
  open: ({ config }) => new Region(loadRegionPack(config.regionDir)),
  routes: regionRoutes,
  commands: regionCommands,
});
