import type { Command } from 'commander';
import { LOCAL_ADMIN } from '../lib/access.ts';
import { formatTable } from '../lib/table.ts';
import type { CommandEnv } from '../module.ts';
import type { PartiesService } from './service.ts';

export function partiesCommands(program: Command, { open, print }: CommandEnv<PartiesService>): void {
  const keys = program.command('keys').description('API keys: each belongs to a party and carries a role');

  keys
    .command('create')
    .description('create a key; its secret is printed once and never again')
    .requiredOption('--party <id>', 'the party the key acts for (see `tongcheng parties`)')
    .requiredOption('--role <role>', 'admin, operator, museum, agency or public')
    .option('--label <text>', 'a note for people: who holds the key')
    .option('--json', 'print JSON for machines')
    .action(async (options: { party: string; role: string; label?: string; json?: boolean }) => {
      const parties = await open('write');
      const { key, secret } = await parties.createKey(LOCAL_ADMIN, options);
      if (options.json) return print(JSON.stringify({ key, secret }, null, 2));
      print(`created ${key.id} for ${key.party} with role ${key.role}`);
      print(`secret: ${secret}`);
      print('keep it safe: it is shown only now. Send it as "Authorization: Bearer <secret>".');
    });

  keys
    .command('list')
    .description('list keys (secrets are never shown)')
    .option('--json', 'print JSON for machines')
    .action(async (options: { json?: boolean }) => {
      const list = await (await open()).listKeys(LOCAL_ADMIN);
      if (options.json) return print(JSON.stringify(list, null, 2));
      print(
        formatTable(list, [
          { header: 'id', value: (k) => k.id },
          { header: 'party', value: (k) => k.party },
          { header: 'role', value: (k) => k.role },
          { header: 'label', value: (k) => k.label ?? '' },
          { header: 'created', value: (k) => k.createdAt.slice(0, 19).replace('T', ' ') },
          {
            header: 'status',
            value: (k) => (k.revokedAt ? `revoked ${k.revokedAt.slice(0, 10)}` : 'active'),
          },
        ]),
      );
    });

  keys
    .command('revoke')
    .description('revoke a key; it stops working at once')
    .argument('<id>', 'the key id, e.g. key_1a2b3c4d5e6f')
    .option('--json', 'print JSON for machines')
    .action(async (id: string, options: { json?: boolean }) => {
      const key = await (await open('write')).revokeKey(LOCAL_ADMIN, id);
      if (options.json) return print(JSON.stringify(key, null, 2));
      print(`revoked ${key.id} (${key.party}, ${key.role}) at ${key.revokedAt}`);
    });

  program
    .command('parties')
    .description('the parties Tongcheng acts for: the scheme, jurisdictions, operators, museums, agencies')
    .option('--json', 'print JSON for machines')
    .action(async (options: { json?: boolean }) => {
      const list = await (await open()).listParties();
      if (options.json) return print(JSON.stringify(list, null, 2));
      print(
        formatTable(list, [
          { header: 'id', value: (p) => p.id },
          { header: 'kind', value: (p) => p.kind },
          { header: 'name', value: (p) => Object.values(p.name).join(' ') },
          { header: 'jurisdiction', value: (p) => p.jurisdiction ?? '' },
        ]),
      );
    });
}
