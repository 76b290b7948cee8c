/**
 * One Ticket, One Region: the annual museum pass. Passes and their short-lived signed tokens
 * (CWT in COSE_Sign1, ES256, zlib, Base45: src/pass/token), verified offline at the gate.
 * Visits and the revenue share through the ledger are to come (docs/pass.md).
 */
import { defineModule } from '../module.ts';
import { passCommands } from './commands.ts';
import { passRoutes } from './routes.ts';
import { PassService } from './service.ts';
import { migrations, PassStore } from './store.ts';

export type { PassService } from './service.ts';

export const passModule = defineModule<PassService>({
  name: 'pass',
  migrations,
  open: async (env) => new PassService(new PassStore(await env.db())),
  routes: passRoutes,
  commands: passCommands,
});
