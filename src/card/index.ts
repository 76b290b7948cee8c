/**
 * Metropolitan Tong: one card on every operator of the region. Validators' signed tap batches
 * become legs, legs are priced by the region's GTFS-Fares v2 rules (transfers, caps, rider
 * categories across operators), and what each card owes each operator posts to the ledger.
 */
import { faresModule } from '../fares/index.ts';
import { ledgerModule } from '../ledger/index.ts';
import { defineModule } from '../module.ts';
import { regionModule } from '../region/index.ts';
import { cardCommands } from './commands.ts';
import { cardRoutes } from './routes.ts';
import { CardService } from './service.ts';
import { CardStore, migrations } from './store.ts';

export type { CardService } from './service.ts';
export { cardAccount, revenueAccount } from './service.ts';

export const cardModule = defineModule<CardService>({
  name: 'card',
  migrations,
  open: async (env) => {
    const region = await env.use(regionModule);
    const fares = await env.use(faresModule);
    const ledger = await env.use(ledgerModule);
    return new CardService(
      new CardStore(await env.db(), env.dialect()),
      ledger,
      () => fares.regional(),
      region,
      {
        operators: region.pack.parties.filter((p) => p.kind === 'operator').map((p) => p.id),
        issuers: region.pack.jurisdictions.map((j) => j.id),
      },
    );
  },
  seed: (service) => service.seed(),
  routes: cardRoutes,
  commands: cardCommands,
});
