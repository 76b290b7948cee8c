/**
 * The ledger's public face: the clearing house that the card, the museum pass and health claims
 * post to. Accounts per party and purpose, transfers TigerBeetle-style, settlement runs.
 */
import { defineModule } from '../module.ts';
import { partiesModule } from '../parties/index.ts';
import { regionModule } from '../region/index.ts';
import { ledgerCommands } from './commands.ts';
import { ledgerRoutes } from './routes.ts';
import { LedgerService } from './service.ts';
import { LedgerStore, migrations } from './store.ts';

export type {
  Account,
  AccountSpec,
  Balance,
  NewTransfer,
  SettlementRun,
  Statement,
  Transfer,
  TransferResult,
} from './model.ts';
export type { LedgerService, SettleOptions } from './service.ts';

export const ledgerModule = defineModule<LedgerService>({
  name: 'ledger',
  migrations,
  open: async (env) => {
    const region = await env.use(regionModule);
    // Accounts belong to parties: the parties' table comes first.
    await env.use(partiesModule);
    return new LedgerService(new LedgerStore(await env.db(), env.dialect()), region.pack.timeZone);
  },
  routes: ledgerRoutes,
  commands: ledgerCommands,
});
