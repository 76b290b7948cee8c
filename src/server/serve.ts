import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEME_PARTY_ID } from '../lib/access.ts';
import { type Config, ConfigError } from '../lib/config.ts';
import { nameIn } from '../lib/name.ts';
import { escapeControl } from '../lib/terminal.ts';
import { openRuntime } from '../modules.ts';
import { partiesModule } from '../parties/index.ts';
import { regionModule } from '../region/index.ts';
import { buildApp } from './app.ts';

/**
 * Shows the first admin secret to a person, and never to the log: pino writes JSON lines to
 * stdout, which is often a pipe into a log store. On a terminal it goes to stderr; otherwise into
 * a file only its owner can read, and the log says where.
 */
function handOverFirstKey(secret: string, varDir: string): string {
  const how = 'Use it as "Authorization: Bearer <key>", or set TONGCHENG_ADMIN_KEY to choose your own.';
  if (process.stderr.isTTY) {
    process.stderr.write(
      `\nFirst start: an admin key was created. It is shown only now; keep it safe.\n  ${secret}\n${how}\n\n`,
    );
    return 'the first admin key was shown on the terminal';
  }
  const file = join(varDir, 'first-admin-key');
  // Made anew, so that the mode applies: an old file keeps the mode it had.
  rmSync(file, { force: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  process.stderr.write(
    `First start: an admin key was created; it is in ${file} (readable by you only). ${how}\n`,
  );
  return `the first admin key is in ${file}`;
}

/** Why the server could not listen, as a setting to change. */
function listenError(error: NodeJS.ErrnoException, config: Config): Error {
  const where = `${config.host}:${config.port}`;
  if (error.code === 'EADDRINUSE')
    return new ConfigError(`PORT ${config.port}: ${where} is in use by another program`);
  if (error.code === 'EACCES')
    return new ConfigError(`PORT ${config.port}: this user may not listen on ${where}`);
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') {
    return new ConfigError(`HOST ${config.host} is not an address of this machine`);
  }
  return error;
}

/** Starts the server, hands over a first admin key if one had to be made, and stops cleanly on a signal. */
export async function serve(config: Config): Promise<void> {
  const runtime = await openRuntime(config, 'write');
  const parties = await runtime.service(partiesModule);
  const region = await runtime.service(regionModule);
  const secret = await parties.ensureAdminKey(config.adminKey, SCHEME_PARTY_ID);
  const app = await buildApp(runtime, { logger: { level: config.logLevel } });
  const warn = (message: string) => {
    app.log.warn(message);
    process.stderr.write(`warning: ${escapeControl(message)}\n`);
  };
  // What the first request would otherwise wait for (timetables, say) is loaded before listening.
  for (const module of runtime.modules) await module.warm?.(await runtime.service(module), warn);
  if (secret) app.log.info(handOverFirstKey(secret, config.varDir));
  const stop = async () => {
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    await runtime.close();
    throw listenError(error as NodeJS.ErrnoException, config);
  }
  // For people, so on stderr: stdout carries the JSON log lines.
  process.stderr.write(
    `Tongcheng serves ${nameIn(region.pack.name, ['en'])} on http://${config.host}:${config.port} (store: ${runtime.store()?.dialect}; API docs: /api/docs)\n`,
  );
}
