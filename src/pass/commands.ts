import type { Command } from 'commander';
import { LOCAL_ADMIN } from '../lib/access.ts';
import { formatTable } from '../lib/table.ts';
import type { CommandEnv } from '../module.ts';
import type { PassService } from './service.ts';

export function passCommands(program: Command, { open, print }: CommandEnv<PassService>): void {
  const pass = program.command('pass').description('One Ticket, One Region: the annual museum pass');

  pass
    .command('issue')
    .description('issue a pass, valid a year from now, and print its signed token')
    .requiredOption('--holder <name>', "the holder's name, as on the ID")
    .option('--id-number <number>', 'hashed into the token with the pass id; never stored as it is')
    .option('--photo <ref>', "where a gate finds the holder's photo")
    .option('--json', 'print JSON for machines')
    .action(async (options: { holder: string; idNumber?: string; photo?: string; json?: boolean }) => {
      const issued = await (await open('write')).issue(LOCAL_ADMIN, options);
      if (options.json) return print(JSON.stringify(issued, null, 2));
      print(`pass ${issued.pass.id} for ${issued.pass.holder}, valid until ${issued.pass.validUntil}`);
      print(`token (until ${issued.expiresAt}):`);
      print(issued.token);
    });

  pass
    .command('verify')
    .description('check a pass token as a gate does: the holder, or why it is refused (exit 1)')
    .argument('<token>', 'the text of the QR code, TC1:…')
    .option('--json', 'print JSON for machines')
    .action(async (token: string, options: { json?: boolean }) => {
      const result = await (await open()).verify(token);
      if (!result.ok) process.exitCode = 1;
      if (options.json) return print(JSON.stringify(result, null, 2));
      if (result.ok) {
        print(
          `valid: pass ${result.pass.id}, ${result.pass.holder}${result.pass.photo ? `, photo ${result.pass.photo}` : ''}`,
        );
        print(`pass valid until ${result.pass.validUntil}; token until ${result.tokenExpiresAt}`);
      } else {
        print(`refused: ${result.reason} (${result.detail})`);
      }
    });

  pass
    .command('keys')
    .description('the issuing keys that gates trust')
    .option('--rotate', 'make a new issuing key; the old ones stay trusted until their tokens expire')
    .option('--json', 'print JSON for machines')
    .action(async (options: { rotate?: boolean; json?: boolean }) => {
      const passes = await open(options.rotate ? 'write' : 'read');
      if (options.rotate) await passes.rotateKey(LOCAL_ADMIN);
      const keys = await passes.trustedKeys();
      if (options.json) return print(JSON.stringify(keys, null, 2));
      print(
        formatTable(keys, [
          { header: 'kid', value: (k) => k.kid },
          { header: 'created', value: (k) => k.createdAt.slice(0, 19).replace('T', ' ') },
          { header: 'retired', value: (k) => (k.retiredAt ?? '').slice(0, 19).replace('T', ' ') },
        ]),
      );
    });
}
