import type { Command } from 'commander';
import { problem } from '../lib/errors.ts';
import { allNames, type Name, nameIn } from '../lib/name.ts';
import { formatInteger, formatTable } from '../lib/table.ts';
import type { CommandEnv } from '../module.ts';
import type { Region } from './region.ts';

function coordinate(text: string, name: 'lat' | 'lon', limit: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || Math.abs(value) > limit) {
    throw problem(
      'invalid-coordinate',
      `${name} must be a number between -${limit} and ${limit}; got "${text}"`,
      name,
    );
  }
  return value;
}

export function regionCommands(program: Command, { open, print }: CommandEnv<Region>): void {
  const command = program
    .command('region')
    .description('the region pack: jurisdictions and cities')
    .option('--json', 'print JSON for machines')
    .action(async (options: { json?: boolean }) => {
      const r = await open();
      const { boundaries: _b, parties: _p, museums: _m, ...summary } = r.pack;
      if (options.json) return print(JSON.stringify(summary, null, 2));
      const names = (name: Name) => allNames(name, r.pack.languages);
      // One language keeps the column narrow: English where the pack has it, as a terminal's lingua franca.
      const jurisdiction = (id: string) => {
        const j = r.jurisdiction(id);
        return j ? nameIn(j.name, ['en'], r.pack.languages[0]) : id;
      };
      print(`${names(r.pack.name)} (${r.id}) · ${r.pack.timeZone} · ${r.pack.currency}`);
      print(`languages: ${r.pack.languages.join(', ')}`);
      print(`${r.pack.jurisdictions.length} jurisdictions, ${r.pack.cities.length} cities\n`);
      print(
        formatTable(r.pack.cities, [
          { header: 'id', value: (c) => c.id },
          { header: 'city', value: (c) => names(c.name) },
          { header: 'jurisdiction', value: (c) => jurisdiction(c.jurisdiction) },
          { header: 'population', value: (c) => formatInteger(c.population), align: 'right' },
          { header: 'area km²', value: (c) => formatInteger(Math.round(c.areaKm2)), align: 'right' },
          {
            header: 'per km²',
            value: (c) => formatInteger(Math.round(c.population / c.areaKm2)),
            align: 'right',
          },
        ]),
      );
    });

  command
    .command('locate')
    .description('which city, district and jurisdiction contain a point')
    .argument('<lat>', 'latitude, WGS 84 degrees')
    .argument('<lon>', 'longitude, WGS 84 degrees')
    .option('--json', 'print JSON for machines')
    .action(async (lat: string, lon: string, options: { json?: boolean }) => {
      const r = await open();
      const location = r.locate(coordinate(lat, 'lat', 90), coordinate(lon, 'lon', 180));
      if (options.json) return print(JSON.stringify(location, null, 2));
      const name = (p: { name: Name } | null) => (p ? allNames(p.name, r.pack.languages) : '—');
      print(`point        ${location.lat}, ${location.lon}`);
      print(`city         ${name(location.city)}`);
      print(`district     ${name(location.district)}`);
      print(`jurisdiction ${name(location.jurisdiction)}`);
      if (location.linkedPlace) {
        const relation = r.pack.linkedPlaces.find((p) => p.id === location.linkedPlace?.id)?.relation;
        print(`linked place ${name(location.linkedPlace)} (${relation})`);
      }
      if (location.onBoundaryOf.length > 0) print(`on the border of ${location.onBoundaryOf.join(', ')}`);
    });

  command
    .command('museums')
    .description('the museums of the museum pass, with their reference prices')
    .option('--city <city>', 'only this city (by id or by name)')
    .option('--json', 'print JSON for machines')
    .action(async (options: { city?: string; json?: boolean }) => {
      const r = await open();
      const museums = r.museums(options.city);
      if (options.json) return print(JSON.stringify({ sources: r.pack.museums.sources, museums }, null, 2));
      // Prices are whole fen: shown as yuan.fen without going through floating point.
      const price = (fen: number) =>
        fen === 0 ? 'free' : `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
      print(
        formatTable(museums, [
          { header: 'id', value: (m) => m.id },
          { header: 'museum', value: (m) => allNames(m.name, r.pack.languages) },
          { header: 'city', value: (m) => m.city },
          { header: `price ${r.pack.currency}`, value: (m) => price(m.priceFen), align: 'right' },
          {
            header: 'lat, lon',
            value: (m) => (m.location ? `${m.location.lonLat[1]}, ${m.location.lonLat[0]}` : '—'),
          },
        ]),
      );
      print(`\n${museums.length} museums`);
    });
}
