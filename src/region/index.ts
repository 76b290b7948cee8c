export { regionCommands } from './commands.ts';
export type {
  Boundary,
  City,
  District,
  Jurisdiction,
  LinkedPlace,
  Location,
  LonLat,
  PackParty,
  RegionPack,
} from './model.ts';
export { loadRegionPack, RegionPackError } from './pack.ts';
export { foldName, Region } from './region.ts';
export { regionRoutes } from './routes.ts';
