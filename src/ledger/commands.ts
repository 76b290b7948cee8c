import type { Command } from 'commander';
import { LOCAL_ADMIN } from '../lib/access.ts';
import { problem } from '../lib/errors.ts';
import { formatFen, formatTable } from '../lib/table.ts';
import { parseTime } from '../lib/time.ts';
import type { CommandEnv } from '../module.ts';
import type { GroupBy, SettlementRun, Statement } from './model.ts';
import type { LedgerService } from './service.ts';
import { statementCsv } from './statement.ts';

const list = (text: string | undefined) =>
  text
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

export function ledgerCommands(program: Command, { open, print }: CommandEnv<LedgerService>): void {
  const ledger = program
    .command('ledger')
    .description('the clearing house: accounts, transfers, settlement (amounts in yuan; JSON in fen)');

  ledger
    .command('accounts')
    .description('accounts and their balances')
    .option('--party <id>', 'only this party’s')
    .option('--json', 'print JSON for machines')
    .action(async (options: { party?: string; json?: boolean }) => {
      const accounts = await (await open()).accounts(LOCAL_ADMIN, options.party);
      if (options.json) return print(JSON.stringify(accounts, null, 2));
      print(
        formatTable(accounts, [
          { header: 'id', value: (a) => a.id },
          { header: 'party', value: (a) => a.party },
          { header: 'purpose', value: (a) => a.purpose },
          {
            header: 'limit',
            value: (a) =>
              a.flags.debitsMustNotExceedCredits
                ? 'debits ≤ credits'
                : a.flags.creditsMustNotExceedDebits
                  ? 'credits ≤ debits'
                  : '',
          },
          { header: 'net posted', value: (a) => formatFen(a.balance.creditsPosted - a.balance.debitsPosted) },
          { header: 'pending', value: (a) => formatFen(a.balance.creditsPending - a.balance.debitsPending) },
        ]),
      );
    });

  ledger
    .command('balance')
    .description('one account’s balance')
    .argument('<account>', 'the account id, e.g. shanghai-metro:revenue')
    .option('--json', 'print JSON for machines')
    .action(async (id: string, options: { json?: boolean }) => {
      const a = await (await open()).account(LOCAL_ADMIN, id);
      if (options.json) return print(JSON.stringify(a, null, 2));
      const b = a.balance;
      print(`${a.id} (${a.party}, ${a.purpose})`);
      print(
        `posted:  debits ${formatFen(b.debitsPosted)}  credits ${formatFen(b.creditsPosted)}  net ${formatFen(b.creditsPosted - b.debitsPosted)}`,
      );
      print(`pending: debits ${formatFen(b.debitsPending)}  credits ${formatFen(b.creditsPending)}`);
    });

  ledger
    .command('transfers')
    .description('the latest transfers of an account')
    .argument('<account>', 'the account id')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print JSON for machines')
    .action(async (id: string, options: { limit: string; json?: boolean }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw problem(
          'invalid-number',
          `--limit: a whole number from 1 to 1000; got "${options.limit}"`,
          'limit',
        );
      }
      const service = await open();
      const account = await service.account(LOCAL_ADMIN, id);
      const transfers = await service.transfers(LOCAL_ADMIN, account.party, { account: id, limit });
      if (options.json) return print(JSON.stringify(transfers, null, 2));
      print(
        formatTable(transfers, [
          { header: 'id', value: (t) => t.id },
          { header: 'at', value: (t) => t.at.slice(0, 19).replace('T', ' ') },
          { header: 'kind', value: (t) => t.kind },
          { header: 'type', value: (t) => t.type },
          { header: 'debit', value: (t) => t.debit },
          { header: 'credit', value: (t) => t.credit },
          { header: 'amount', value: (t) => formatFen(t.amount) },
          { header: 'reference', value: (t) => t.reference ?? '' },
        ]),
      );
    });

  ledger
    .command('settle')
    .description('settle a period: net positions and payments, recorded as a new run')
    .option('--date <YYYY-MM-DD>', 'a day in the region’s time zone')
    .option('--day-start <HH:MM>', 'when that day starts', '00:00')
    .option('--from <instant>', 'start, ISO 8601 with offset (instead of --date)')
    .option('--to <instant>', 'end, excluded')
    .option('--group-by <what>', 'party or jurisdiction', 'party')
    .option('--kinds <list>', 'comma-separated kinds that count, e.g. fare')
    .option('--purposes <list>', 'count only transfers with an account of these purposes')
    .option('--json', 'print JSON for machines')
    .action(
      async (options: {
        date?: string;
        dayStart: string;
        from?: string;
        to?: string;
        groupBy: string;
        kinds?: string;
        purposes?: string;
        json?: boolean;
      }) => {
        if (options.groupBy !== 'party' && options.groupBy !== 'jurisdiction') {
          throw problem('invalid-input', '--group-by: party or jurisdiction', 'groupBy');
        }
        const service = await open('write');
        let period: { from: string; to: string };
        if (options.date !== undefined)
          period = service.periodOfDate(options.date, parseTime(options.dayStart, 'dayStart'));
        else if (options.from !== undefined && options.to !== undefined)
          period = { from: options.from, to: options.to };
        else throw problem('invalid-period', 'give --date, or --from and --to', 'date');
        const run = await service.settle(LOCAL_ADMIN, {
          ...period,
          groupBy: options.groupBy as GroupBy,
          kinds: list(options.kinds),
          purposes: list(options.purposes),
        });
        if (options.json) return print(JSON.stringify(run, null, 2));
        printRun(run, print);
      },
    );

  ledger
    .command('runs')
    .description('settlement runs, newest first')
    .option('--json', 'print JSON for machines')
    .action(async (options: { json?: boolean }) => {
      const runs = await (await open()).runs(LOCAL_ADMIN);
      if (options.json) return print(JSON.stringify(runs, null, 2));
      print(
        formatTable(runs, [
          { header: 'id', value: (r) => r.id },
          { header: 'from', value: (r) => r.from },
          { header: 'to', value: (r) => r.to },
          { header: 'by', value: (r) => r.groupBy },
          { header: 'kinds', value: (r) => r.kinds?.join(',') ?? 'all' },
          { header: 'transfers', value: (r) => String(r.transfers) },
          { header: 'payments', value: (r) => String(r.payments.length) },
          { header: 'changes', value: (r) => (r.previous ? String(r.changes.length) : 'first') },
        ]),
      );
    });

  ledger
    .command('statement')
    .description('a party’s statement of a run: lines per counterparty and kind')
    .argument('<run>', 'the run id (see `tongcheng ledger runs`)')
    .argument('<party>', 'the party (or jurisdiction, for a run grouped by jurisdiction)')
    .option('--csv', 'print CSV (RFC 4180)')
    .option('--json', 'print JSON for machines')
    .action(async (run: string, party: string, options: { csv?: boolean; json?: boolean }) => {
      const statement = await (await open()).statement(LOCAL_ADMIN, run, party);
      if (options.csv) {
        // As it is: print would escape the CRLF that RFC 4180 asks for.
        process.stdout.write(statementCsv(statement));
        return;
      }
      if (options.json) return print(JSON.stringify(statement, null, 2));
      printStatement(statement, print);
    });

  ledger
    .command('expire')
    .description('void the pending transfers whose timeout has passed')
    .option('--json', 'print JSON for machines')
    .action(async (options: { json?: boolean }) => {
      const voided = await (await open('write')).expirePending();
      if (options.json) return print(JSON.stringify(voided));
      print(`${voided.length} pending transfers expired`);
    });
}

function printRun(run: SettlementRun, print: (text: string) => void): void {
  print(`run ${run.id}: ${run.from} – ${run.to}, by ${run.groupBy}, ${run.transfers} transfers`);
  print(
    formatTable(run.positions, [
      { header: 'party', value: (p) => p.party },
      { header: 'net', value: (p) => formatFen(p.net) },
    ]),
  );
  print(`${run.payments.length} payments (${run.netting}):`);
  print(
    formatTable(run.payments, [
      { header: 'from', value: (p) => p.from },
      { header: 'to', value: (p) => p.to },
      { header: 'amount', value: (p) => formatFen(p.amount) },
    ]),
  );
  if (run.previous) {
    print(run.changes.length === 0 ? `no change since ${run.previous}` : `changed since ${run.previous}:`);
    for (const c of run.changes) print(`  ${c.party}: ${formatFen(c.before)} → ${formatFen(c.after)}`);
  }
}

function printStatement(s: Statement, print: (text: string) => void): void {
  print(`${s.party}, run ${s.run}: ${s.from} – ${s.to}`);
  print(
    formatTable(
      [...s.lines, { counterparty: 'total', kind: '', ...s.totals }],
      [
        { header: 'counterparty', value: (l) => l.counterparty },
        { header: 'kind', value: (l) => l.kind },
        { header: 'debits', value: (l) => `${l.debitCount} · ${formatFen(l.debits)}` },
        { header: 'credits', value: (l) => `${l.creditCount} · ${formatFen(l.credits)}` },
        { header: 'net', value: (l) => formatFen(l.net) },
      ],
    ),
  );
}
