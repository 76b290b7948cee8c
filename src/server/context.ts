/**
 * Opens what the server and the CLI share: the region pack, the store with every module's
 * migrations applied, and the services built on them. Each service gets only its own store.
 */
import { join } from 'node:path';
import type { Config } from '../lib/config.ts';
import {
  PartiesService,
  PartiesStore,
  type Party,
  migrations as partiesMigrations,
  SCHEME_PARTY_ID,
} from '../parties/index.ts';
import { loadRegionPack, Region } from '../region/index.ts';
import { migrate, openStore, type Store } from '../store/index.ts';
import { FeedRegistry, TransitService } from '../transit/index.ts';

export const MIGRATIONS = { ...partiesMigrations };

export interface Context {
  config: Config;
  region: Region;
  store: Store;
  parties: PartiesService;
  transit: TransitService;
  close(): Promise<void>;
}

/** The scheme, the jurisdictions and the pack's own parties. */
export function regionParties(region: Region): Party[] {
  return [
    { id: SCHEME_PARTY_ID, kind: 'scheme', name: { zh: '同城', en: 'Tongcheng' }, jurisdiction: null },
    ...region.pack.jurisdictions.map((j) => ({
      id: j.id,
      kind: 'jurisdiction' as const,
      name: j.name,
      jurisdiction: j.id,
    })),
    ...region.pack.parties.map((p) => ({
      id: p.id,
      kind: p.kind,
      name: p.name,
      jurisdiction: p.jurisdiction,
    })),
  ];
}

export function openRegion(config: Config): Region {
  return new Region(loadRegionPack(config.regionDir));
}

/** The rail planner needs no database: its timetables are files, built once and cached under var/. */
export function openTransit(config: Config, region: Region): TransitService {
  return new TransitService(region, new FeedRegistry(join(config.regionDir, 'gtfs'), config.varDir));
}

export async function openContext(config: Config): Promise<Context> {
  const region = openRegion(config);
  const store = openStore({
    databaseUrl: config.databaseUrl,
    schema: config.databaseSchema,
    sqlitePath: config.sqlitePath,
  });
  try {
    await migrate(store, MIGRATIONS);
    const parties = new PartiesService(new PartiesStore(store.db));
    await parties.seed(regionParties(region));
    const transit = openTransit(config, region);
    return { config, region, store, parties, transit, close: () => store.close() };
  } catch (error) {
    await store.close();
    throw error;
  }
}
