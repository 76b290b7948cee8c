import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { type Static, type TSchema, Type } from 'typebox';
import { Value } from 'typebox/value';
import { faresModule } from '../fares/index.ts';
import { statementCsv } from '../ledger/statement.ts';
import { LOCAL_ADMIN } from '../lib/access.ts';
import { isProblem, problem } from '../lib/errors.ts';
import { progressBar } from '../lib/progress.ts';
import { formatFen, formatTable } from '../lib/table.ts';
import { localReading } from '../lib/time.ts';
import type { CommandEnv } from '../module.ts';
import { regionModule } from '../region/index.ts';
import type { RiderCategory, TapBatch } from './model.ts';
import { simNetwork } from './network.ts';
import { maskCard } from './numbers.ts';
import type { CardService } from './service.ts';
import { defaultStart, SimBatch, SimCard, SimValidator, simulate } from './simulate.ts';

/**
 * Taps per transaction in `card ingest`: each card's week is re-rated once per group, so a
 * replay of a backlog runs several times faster than batch by batch (docs/card.md has the figures).
 */
const GROUP_TAPS = 50_000;

const yuan = (fen: number) => `¥${formatFen(fen)}`;
const positive = (name: string) => (text: string) => {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1)
    throw problem('invalid-input', `${name}: a whole number ≥ 1, not "${text}"`, name);
  return n;
};

/** A JSON file of the folder, checked against its schema: a missing or malformed one is a clear error. */
function readChecked<S extends TSchema>(path: string, schema: S): Static<S> {
  if (!existsSync(path)) throw problem('no-such-file', `no file ${path}`, 'dir');
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw problem('invalid-input', `${path}: not JSON (${(error as Error).message})`, 'dir');
  }
  const [first] = Value.Errors(schema, data);
  if (first) throw problem('invalid-input', `${path}: ${first.instancePath || '/'} ${first.message}`, 'dir');
  return data as Static<S>;
}

export function cardCommands(program: Command, { open, print, use }: CommandEnv<CardService>): void {
  const card = program.command('card').description('Metropolitan Tong: cards, validators, taps');

  card
    .command('issue')
    .description('issue a card')
    .requiredOption('--category <category>', 'adult, student or senior')
    .requiredOption('--issuer <jurisdiction>', 'the jurisdiction whose issuer holds its stored value')
    .option('--json', 'print JSON for machines')
    .action(async (options: { category: RiderCategory; issuer: string; json?: boolean }) => {
      const { card: issued } = await (await open('write')).issue(LOCAL_ADMIN, options);
      if (options.json) return print(JSON.stringify(issued, null, 2));
      print(`issued ${issued.number} (${issued.category}, ${issued.issuer})`);
    });

  card
    .command('show')
    .description("a card's status, stored value and service days")
    .argument('<number>', 'the sixteen digits on the card')
    .option('--from <date>', 'first service date of the days shown')
    .option('--to <date>', 'last service date')
    .option('--json', 'print JSON for machines')
    .action(async (number: string, options: { from?: string; to?: string; json?: boolean }) => {
      const cards = await open();
      const shown = await cards.card(LOCAL_ADMIN, number);
      const days =
        options.from || options.to
          ? await cards.days(LOCAL_ADMIN, number, options.from ?? options.to!, options.to ?? options.from!)
          : [];
      if (options.json) return print(JSON.stringify({ card: shown, days }, null, 2));
      print(`${shown.number}  ${shown.status}  ${shown.category}  issuer ${shown.issuer}`);
      print(
        `stored value ${yuan(shown.balance)}${shown.held ? `, ${yuan(shown.held)} held for open journeys` : ''}`,
      );
      for (const day of days) {
        print(`\n${day.serviceDate}  ${yuan(day.total)}`);
        print(
          formatTable(day.legs, [
            {
              header: 'start',
              value: (l) => localReading(cards.region.pack.timeZone, Date.parse(l.start)).time.slice(0, 5),
            },
            { header: 'operator', value: (l) => l.operator },
            { header: 'from', value: (l) => l.fromName ?? l.from },
            { header: 'to', value: (l) => (l.to === null ? '' : (l.toName ?? l.to)) },
            { header: 'status', value: (l) => l.status },
            { header: 'alone', value: (l) => yuan(l.single), align: 'right' },
            { header: 'charged', value: (l) => yuan(l.fare), align: 'right' },
          ]),
        );
      }
    });

  card
    .command('top-up')
    .description('add stored value; the same --id twice credits once')
    .argument('<number>', 'the card')
    .requiredOption('--amount <fen>', 'fen (100 fen = ¥1)', positive('amount'))
    .requiredOption('--id <id>', 'your id for this top-up')
    .action(async (number: string, options: { amount: number; id: string }) => {
      const shown = await (await open('write')).topUp(LOCAL_ADMIN, number, options);
      print(`${maskCard(shown.number)}: stored value ${yuan(shown.balance)}`);
    });

  card
    .command('hotlist')
    .description('report a card lost: taps after --at are refused; validators learn it from the deny list')
    .argument('<number>', 'the card')
    .option('--reason <reason>', 'lost, stolen, damaged or fraud', 'lost')
    .option('--at <instant>', 'when it was lost (ISO 8601); now by default')
    .action(async (number: string, options: { reason: 'lost'; at?: string }) => {
      const shown = await (await open('write')).hotlist(LOCAL_ADMIN, number, options);
      print(`${maskCard(shown.number)} hotlisted at ${shown.hotlistedAt}`);
    });

  card
    .command('replace')
    .description('issue a replacement: the old card is hotlisted and its stored value moves over')
    .argument('<number>', 'the old card')
    .action(async (number: string) => {
      const fresh = await (await open('write')).replace(LOCAL_ADMIN, number);
      print(`replaced by ${fresh.number}, stored value ${yuan(fresh.balance)}`);
    });

  card
    .command('close-journeys')
    .description(
      'charge entries whose time ran out without an exit the maximum fare, and release their holds (ingest does it too)',
    )
    .action(async () => {
      const n = await (await open('write')).closeOpenJourneys();
      print(`${n} cards with open journeys re-rated`);
    });

  card
    .command('validators')
    .description('registered validators and the batches missing from each')
    .option('--json', 'print JSON for machines')
    .action(async (options: { json?: boolean }) => {
      const list = await (await open()).listValidators(LOCAL_ADMIN);
      if (options.json) return print(JSON.stringify(list, null, 2));
      print(
        formatTable(list, [
          { header: 'id', value: (v) => v.id },
          { header: 'operator', value: (v) => v.party },
          { header: 'last batch', value: (v) => String(v.lastBatch), align: 'right' },
          { header: 'missing', value: (v) => v.missingBatches.join(' '), align: 'right' },
        ]),
      );
    });

  card
    .command('ingest')
    .description(
      'post a folder of signed tap batches (as `simulate commuters` writes): cards, validators, then batches in the order they were sent; running it again changes nothing',
    )
    .argument('<dir>', 'the folder')
    .option('--json', 'print the summary as JSON')
    .action(async (dir: string, options: { json?: boolean }) => {
      const cards = await open('write');
      const simCards = readChecked(join(dir, 'cards.json'), Type.Array(SimCard));
      const validators = readChecked(join(dir, 'validators.json'), Type.Array(SimValidator));
      if (!existsSync(join(dir, 'batches')))
        throw problem('no-such-file', `no folder ${join(dir, 'batches')}`, 'dir');
      const files = readdirSync(join(dir, 'batches'))
        .filter((f) => f.endsWith('.json'))
        .sort();
      const started = Date.now();
      for (const v of validators) await cards.registerValidator(LOCAL_ADMIN, v);
      await cards.issueMany(LOCAL_ADMIN, simCards);
      const summary = {
        batches: 0,
        repeated: 0,
        taps: 0,
        accepted: 0,
        exists: 0,
        rejected: {} as Record<string, number>,
        seconds: 0,
        tapsPerSecond: 0,
      };
      const bar = progressBar('batches {bar} {percentage}% | {value}/{total} | {eta_formatted} left');
      let ingestMs = 0;
      // Batches in the order they were sent, in groups of up to GROUP_TAPS taps, one transaction each.
      for (let i = 0; i < files.length; ) {
        const group: TapBatch[] = [];
        let tapsInGroup = 0;
        while (i < files.length && tapsInGroup < GROUP_TAPS && group.length < 1000) {
          const { batch } = readChecked(join(dir, 'batches', files[i++]), SimBatch);
          group.push(batch);
          tapsInGroup += batch.taps.length;
        }
        const t0 = performance.now();
        const results = await cards.ingestMany(LOCAL_ADMIN, group);
        ingestMs += performance.now() - t0;
        for (const result of results) {
          summary.batches += 1;
          if (isProblem(result)) {
            summary.rejected[result.code] = (summary.rejected[result.code] ?? 0) + 1;
            continue;
          }
          if (result.status === 'exists') summary.repeated += 1;
          for (const t of result.taps) {
            summary.taps += 1;
            if (result.status === 'exists') continue;
            if (t.result === 'accepted') summary.accepted += 1;
            else if (t.result === 'exists') summary.exists += 1;
            else summary.rejected[t.result] = (summary.rejected[t.result] ?? 0) + 1;
          }
        }
        bar.update(i, files.length);
      }
      bar.stop();
      await cards.closeOpenJourneys();
      summary.seconds = Math.round((Date.now() - started) / 100) / 10;
      summary.tapsPerSecond = Math.round(summary.taps / (ingestMs / 1000 || 1));
      if (options.json) return print(JSON.stringify(summary, null, 2));
      print(
        `${summary.batches} batches (${summary.repeated} received before), ${summary.taps} taps: ${summary.accepted} accepted, ${summary.exists} already taken`,
      );
      for (const [reason, n] of Object.entries(summary.rejected)) print(`  refused, ${reason}: ${n}`);
      print(`${summary.seconds} s, ${summary.tapsPerSecond} taps/s while ingesting`);
    });

  program
    .command('settle')
    .description(
      "settle a service date's fares between issuers and operators (or jurisdictions): net positions, the fewest payments, and each operator's fares tied back to its taps",
    )
    .requiredOption(
      '--date <date>',
      "the service date, YYYY-MM-DD (its day starts at the fare rules' day start)",
    )
    .option('--by <grouping>', 'party or jurisdiction', 'party')
    .option('--statement <party>', "print this party's statement instead")
    .option('--csv', 'with --statement: the statement as CSV')
    .option('--json', 'print JSON for machines')
    .action(
      async (options: { date: string; by: string; statement?: string; csv?: boolean; json?: boolean }) => {
        if (options.by !== 'party' && options.by !== 'jurisdiction') {
          throw problem('invalid-input', `--by: party or jurisdiction, not "${options.by}"`, 'by');
        }
        const cards = await open('write');
        if (options.statement) {
          const { statement, tieBack } = await cards.statement(LOCAL_ADMIN, options.date, options.statement);
          if (options.csv) return print(statementCsv(statement).trimEnd());
          if (options.json) return print(JSON.stringify({ statement, tieBack }, null, 2));
          print(`${statement.party}, ${options.date} (${statement.from} to ${statement.to})`);
          print(
            formatTable(statement.lines, [
              { header: 'counterparty', value: (l) => l.counterparty },
              { header: 'kind', value: (l) => l.kind },
              { header: 'debits', value: (l) => `${l.debitCount} ${yuan(l.debits)}`, align: 'right' },
              { header: 'credits', value: (l) => `${l.creditCount} ${yuan(l.credits)}`, align: 'right' },
              { header: 'net', value: (l) => yuan(l.net), align: 'right' },
            ]),
          );
          print(`net ${yuan(statement.totals.net)}`);
          return;
        }
        const settled = await cards.settle(LOCAL_ADMIN, options.date, options.by);
        const sum = settled.run.positions.reduce((s, p) => s + p.net, 0);
        if (options.json) return print(JSON.stringify({ ...settled, positionsSum: sum }, null, 2));
        print(
          `settlement ${settled.run.id}: ${options.date}, ${settled.run.transfers} transfers, positions sum to ${yuan(sum)}`,
        );
        print(
          formatTable(settled.run.positions, [
            { header: options.by, value: (p) => p.party },
            { header: 'net', value: (p) => yuan(p.net), align: 'right' },
          ]),
        );
        print(`\n${settled.run.payments.length} payments (${settled.run.netting} netting)`);
        print(
          formatTable(settled.run.payments, [
            { header: 'from', value: (p) => p.from },
            { header: 'to', value: (p) => p.to },
            { header: 'amount', value: (p) => yuan(p.amount), align: 'right' },
          ]),
        );
        print('\nfares tied back to the taps');
        print(
          formatTable(settled.tieBack, [
            { header: 'operator', value: (t) => t.operator },
            { header: 'legs', value: (t) => String(t.legs), align: 'right' },
            { header: 'from taps', value: (t) => yuan(t.fromTaps), align: 'right' },
            { header: 'ledger', value: (t) => yuan(t.ledger), align: 'right' },
            { header: '', value: (t) => (t.agrees ? 'agrees' : 'DIFFERS') },
          ]),
        );
      },
    );

  program
    .command('simulate')
    .description('simulated data for trying Tongcheng out')
    .command('commuters')
    .description(
      "intercity commuters' signed tap batches for the region: home city → rail → the other city, and back",
    )
    .requiredOption('--riders <n>', 'riders', positive('riders'))
    .option('--days <n>', 'days from --start', positive('days'), 7)
    .option('--seed <n>', 'the same seed writes the same files', positive('seed'), 1)
    .option('--start <date>', 'first service date (default: the Monday before last)')
    .option('--batch-minutes <n>', 'minutes of taps per validator batch', positive('batch-minutes'), 60)
    .requiredOption('--out <dir>', 'folder to write cards.json, validators.json and batches/')
    .action(
      async (options: {
        riders: number;
        days: number;
        seed: number;
        start?: string;
        batchMinutes: number;
        out: string;
      }) => {
        const region = await use(regionModule);
        const fares = (await use(faresModule)).regional();
        const start = options.start ?? defaultStart();
        const sim = simulate(simNetwork(fares, region), { ...options, start });
        mkdirSync(join(options.out, 'batches'), { recursive: true });
        writeFileSync(join(options.out, 'cards.json'), `${JSON.stringify(sim.cards)}\n`);
        writeFileSync(join(options.out, 'validators.json'), `${JSON.stringify(sim.validators, null, 1)}\n`);
        const width = String(sim.batches.length).length;
        const bar = progressBar('writing {bar} {percentage}% | {value}/{total} batches');
        sim.batches.forEach((b, i) => {
          writeFileSync(
            join(options.out, 'batches', `${String(i + 1).padStart(width, '0')}.json`),
            JSON.stringify(b),
          );
          if (i % 200 === 0) bar.update(i + 1, sim.batches.length);
        });
        bar.update(sim.batches.length, sim.batches.length);
        bar.stop();
        print(
          `${sim.cards.length} cards, ${sim.validators.length} validators, ${sim.batches.length} batches, ${sim.taps} taps from ${start} for ${options.days} days in ${options.out}`,
        );
      },
    );
}
