/** The parties module's public face: who Tongcheng acts for, and the keys they act through. */
import { SCHEME_PARTY_ID } from '../lib/access.ts';
import { defineModule } from '../module.ts';
import { type Region, regionModule } from '../region/index.ts';
import { partiesCommands } from './commands.ts';
import type { Party } from './model.ts';
import { partiesRoutes } from './routes.ts';
import { PartiesService } from './service.ts';
import { migrations, PartiesStore } from './store.ts';

export type { ApiKey, Party, PartyKind } from './model.ts';
export type { PartiesService } from './service.ts';

/**
 * The scheme, the jurisdictions and the pack's own parties. The pack names the scheme too, in
 * its own languages, as it names everyone else: no table of translations lives in the code.
 */
export function regionParties(region: Region): Party[] {
  return [
    { id: SCHEME_PARTY_ID, kind: 'scheme', name: region.pack.schemeName, jurisdiction: null },
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
    // The pass's museums are paid through the ledger, so each is a party; the loader has made
    // sure no museum id is also in parties.json.
    ...region.pack.museums.museums.map((m) => ({
      id: m.id,
      kind: 'museum' as const,
      name: m.name,
      jurisdiction: region.pack.cities.find((c) => c.id === m.city)!.jurisdiction,
    })),
  ];
}

export const partiesModule = defineModule<PartiesService>({
  name: 'parties',
  migrations,
  open: async (env) => {
    const region = await env.use(regionModule);
    return new PartiesService(new PartiesStore(await env.db()), regionParties(region));
  },
  seed: (service) => service.seed(),
  routes: partiesRoutes,
  commands: partiesCommands,
});
