import type { Config } from '../lib/config.ts';
import { SCHEME_PARTY_ID } from '../parties/index.ts';
import { buildApp } from './app.ts';
import { openContext } from './context.ts';

/** Starts the server, prints a first admin key if one had to be made, and stops cleanly on a signal. */
export async function serve(config: Config): Promise<void> {
  const context = await openContext(config);
  const secret = await context.parties.ensureAdminKey(config.adminKey, SCHEME_PARTY_ID);
  const app = await buildApp(context, { logger: { level: config.logLevel } });
  // Timetables load from their cache (or are built once) before the first request.
  await context.transit.warm();
  if (secret) {
    process.stdout.write(
      `\nFirst start: an admin key was created. It is shown only now; keep it safe.\n  ${secret}\n` +
        'Use it as "Authorization: Bearer <key>", or set TONGCHENG_ADMIN_KEY to choose your own.\n\n',
    );
  }
  const stop = async () => {
    await app.close();
    await context.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen({ host: config.host, port: config.port });
  process.stdout.write(
    `Tongcheng serves ${context.region.pack.name.en} on http://${config.host}:${config.port} (store: ${context.store.dialect}; API docs: /api/docs)\n`,
  );
}
