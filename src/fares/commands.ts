import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Value } from 'typebox/value';
import { problem } from '../lib/errors.ts';
import { formatTable } from '../lib/table.ts';
import type { CommandEnv } from '../module.ts';
import { FareLeg, type Quote } from './model.ts';
import type { FaresService } from './service.ts';

/** The legs of a file: an array of legs, or an object with `legs`. */
function readLegs(file: string): FareLeg[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw problem('no-such-file', `${file} cannot be read as JSON (${(error as Error).message})`, 'legs');
  }
  const legs = Array.isArray(data) ? data : (data as { legs?: unknown })?.legs;
  if (!Array.isArray(legs) || legs.length === 0) {
    throw problem(
      'invalid-input',
      `${file} holds no legs: an array of legs, or an object with "legs"`,
      'legs',
    );
  }
  legs.forEach((leg, i) => {
    const error = Value.Errors(FareLeg, leg)[0];
    if (error) {
      throw problem(
        'invalid-input',
        `${file}: legs[${i}]${error.instancePath}: ${error.message}`,
        `legs[${i}]`,
      );
    }
  });
  return legs as FareLeg[];
}

const money = (fen: number, currency: string) => `${(fen / 100).toFixed(2)} ${currency}`;

export function faresCommands(program: Command, { open, print }: CommandEnv<FaresService>): void {
  const fares = program
    .command('fares')
    .description('fares: GTFS-Fares v2 feeds priced, Metropolitan Tong by default');

  fares
    .command('quote')
    .description("price a list of legs and say which rules matched (the region's fares unless --feed)")
    .requiredOption(
      '--legs <file>',
      'a JSON file: an array of legs {operator, route?, network?, from, to?, start, end?}',
    )
    .option('--feed <source>', 'a GTFS feed with fares, a folder or a zip')
    .option('--rider <category>', "a rider category (rider_categories.txt); else the feed's default")
    .option('--medium <id>', 'a fare medium (fare_media.txt), e.g. tong for the regional card')
    .option('--json', 'print JSON for machines')
    .action(
      async (options: { legs: string; feed?: string; rider?: string; medium?: string; json?: boolean }) => {
        const service = await open();
        const engine = options.feed ? service.load(options.feed) : service.regional();
        const legs = readLegs(options.legs);
        const quote: Quote = engine.quote(legs, { riderCategory: options.rider, fareMedium: options.medium });
        if (options.json) return print(JSON.stringify(quote, null, 2));
        print(
          formatTable(quote.legs, [
            { header: 'leg', value: (l) => l.leg, align: 'right' },
            { header: 'operator', value: (l) => legs[l.leg].operator },
            { header: 'from', value: (l) => legs[l.leg].from },
            { header: 'to', value: (l) => legs[l.leg].to ?? '(no tap-out)' },
            { header: 'single', value: (l) => money(l.single, quote.currency), align: 'right' },
            { header: 'pays', value: (l) => money(l.amount, quote.currency), align: 'right' },
            { header: 'rules', value: (l) => l.rules.join('; ') },
          ]),
        );
        print(
          `total ${money(quote.total, quote.currency)}${quote.uncapped !== quote.total ? ` (before caps ${money(quote.uncapped, quote.currency)})` : ''}`,
        );
      },
    );
}
