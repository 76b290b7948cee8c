import { SCHEME_PARTY_ID } from '../lib/access.ts';
import type { Config } from '../lib/config.ts';
import { nameIn } from '../lib/name.ts';
import { openRuntime } from '../modules.ts';
import { partiesModule } from '../parties/index.ts';
import { regionModule } from '../region/index.ts';
import { buildApp } from './app.ts';

/** Starts the server, prints a first admin key if one had to be made, and stops cleanly on a signal. */
export async function serve(config: Config): Promise<void> {
  const runtime = await openRuntime(config, 'write');
  const parties = await runtime.service(partiesModule);
  const region = await runtime.service(regionModule);
  const secret = await parties.ensureAdminKey(config.adminKey, SCHEME_PARTY_ID);
  const app = await buildApp(runtime, { logger: { level: config.logLevel } });
  // What the first request would otherwise wait for (timetables, say) is loaded before listening.
  for (const module of runtime.modules) await module.warm?.(await runtime.service(module));
  if (secret) {
    process.stdout.write(
      `\nFirst start: an admin key was created. It is shown only now; keep it safe.\n  ${secret}\n` +
        'Use it as "Authorization: Bearer <key>", or set TONGCHENG_ADMIN_KEY to choose your own.\n\n',
    );
  }
  const stop = async () => {
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen({ host: config.host, port: config.port });
  process.stdout.write(
    `Tongcheng serves ${nameIn(region.pack.name, ['en'])} on http://${config.host}:${config.port} (store: ${runtime.store()?.dialect}; API docs: /api/docs)\n`,
  );
}
