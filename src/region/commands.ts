import type { Command } from 'commander';
import { badRequest } from '../lib/errors.ts';
import { formatInteger, formatTable } from '../lib/table.ts';
import type { Region } from './region.ts';
import { locationBody } from './routes.ts';

type Print = (text: string) => void;

function coordinate(text: string, name: 'lat' | 'lon', limit: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || Math.abs(value) > limit) {
    throw badRequest(
      'invalid-coordinate',
      `${name} must be a number between -${limit} and ${limit}; got "${text}"`,
      name,
    );
  }
  return value;
}

export function regionCommands(program: Command, region: () => Region, print: Print): void {
  const command = program
    .command('region')
    .description('the region pack: jurisdictions and cities')
    .option('--json', 'print JSON for machines')
    .action((options: { json?: boolean }) => {
      const r = region();
      const { boundaries: _b, parties: _p, ...summary } = r.pack;
      if (options.json) return print(JSON.stringify(summary, null, 2));
      const jurisdiction = (id: string) => r.jurisdiction(id)?.name.en ?? id;
      print(`${r.pack.name.zh} ${r.pack.name.en} (${r.id}) · ${r.pack.timeZone} · ${r.pack.currency}`);
      print(`${r.pack.jurisdictions.length} jurisdictions, ${r.pack.cities.length} cities\n`);
      print(
        formatTable(r.pack.cities, [
          { header: 'id', value: (c) => c.id },
          { header: 'city', value: (c) => `${c.name.zh} ${c.name.en}` },
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
    .action((lat: string, lon: string, options: { json?: boolean }) => {
      const location = region().locate(coordinate(lat, 'lat', 90), coordinate(lon, 'lon', 180));
      if (options.json) return print(JSON.stringify(locationBody(location), null, 2));
      const name = (p: { name: { zh: string; en: string } } | null) =>
        p ? `${p.name.zh} ${p.name.en}` : '—';
      print(`point        ${location.lat}, ${location.lon}`);
      print(`city         ${name(location.city)}`);
      print(`district     ${name(location.district)}`);
      print(`jurisdiction ${name(location.jurisdiction)}`);
      if (location.linkedPlace)
        print(`linked place ${name(location.linkedPlace)} (${location.linkedPlace.relation})`);
      if (location.onBoundaryOf.length > 0) print(`on the border of ${location.onBoundaryOf.join(', ')}`);
    });
}
