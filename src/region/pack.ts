/**
 * Loads a region pack from its folder and refuses a broken one with the error a person needs:
 * the file, the field and what is wrong with it. Every module trusts a loaded pack.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { Name } from '../lib/name.ts';
import { overlap, sideOfMultiPolygon } from './geometry.ts';
import {
  BoundariesFile,
  type Boundary,
  type LonLat,
  type MultiPolygon,
  type Museums,
  MuseumsFile,
  type PackParty,
  PartiesFile,
  RegionFile,
  type RegionPack,
  type RegionSummary,
} from './model.ts';

export class RegionPackError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'RegionPackError';
  }
}

/** `/cities/2/population` → `cities[2].population` */
function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function valueAt(value: unknown, instancePath: string): unknown {
  let at = value;
  for (const part of instancePath.split('/').slice(1))
    at = (at as Record<string, unknown> | undefined)?.[part];
  return at;
}

function readJson(dir: string, name: string, schema: TSchema): unknown {
  const file = join(dir, name);
  const shown = relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new RegionPackError(shown, '', 'the file is missing or unreadable');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new RegionPackError(shown, '', `not valid JSON (${(error as Error).message})`);
  }
  const [first] = Value.Errors(schema, data);
  if (first) {
    // A key no schema allows fails the `false` schema of additionalProperties; say so plainly.
    const message = first.keyword === 'boolean' ? 'is not allowed here' : first.message;
    const got = valueAt(data, first.instancePath);
    const detail = got === undefined ? '' : ` (got ${JSON.stringify(got)?.slice(0, 80)})`;
    throw new RegionPackError(shown, fieldPath(first.instancePath), `${message}${detail}`);
  }
  return data;
}

function duplicate<T extends { id: string }>(items: T[]): number {
  const seen = new Set<string>();
  return items.findIndex((item) => seen.size === seen.add(item.id).size);
}

export function loadRegionPack(dir: string): RegionPack {
  const shown = (name: string) => relative(process.cwd(), join(dir, name)) || join(dir, name);
  const regionFile = shown('region.json');
  function fail(field: string, problem: string, file = regionFile): never {
    throw new RegionPackError(file, field, problem);
  }

  const region = readJson(dir, 'region.json', RegionFile) as RegionSummary;
  const geo = readJson(dir, 'boundaries.geojson', BoundariesFile) as {
    features: {
      properties: { kind: Boundary['kind']; id: string };
      geometry: { type: string; coordinates: unknown };
    }[];
  };
  const parties = readJson(dir, 'parties.json', PartiesFile) as PackParty[];
  // A pack without a museum pass simply has no museums file.
  const museums = existsSync(join(dir, 'museums.json'))
    ? (readJson(dir, 'museums.json', MuseumsFile) as Museums)
    : { sources: {}, museums: [] };

  try {
    new Intl.DateTimeFormat('en', { timeZone: region.timeZone });
  } catch {
    fail('timeZone', `"${region.timeZone}" is not an IANA time zone`);
  }

  const { languages } = region;
  languages.forEach((tag, i) => {
    let canonical: string | undefined;
    try {
      [canonical] = Intl.getCanonicalLocales(tag);
    } catch {
      fail(`languages[${i}]`, `"${tag}" is not a well-formed BCP 47 language tag`);
    }
    // Names are keyed by the tags exactly as declared, so one spelling is allowed: the canonical one.
    if (canonical !== tag) fail(`languages[${i}]`, `write "${tag}" in its canonical form, "${canonical}"`);
    if (languages.indexOf(tag) < i) fail(`languages[${i}]`, `"${tag}" is listed twice`);
  });
  const declared = languages.join(', ');
  const checkName = (name: Name, at: string, file = regionFile) => {
    const missing = languages.find((tag) => !Object.hasOwn(name, tag));
    if (missing) fail(at, `has no name in "${missing}" (the pack's languages: ${declared})`, file);
    const extra = Object.keys(name).find((tag) => !languages.includes(tag));
    if (extra) fail(`${at}.${extra}`, `"${extra}" is not one of the pack's languages (${declared})`, file);
  };
  checkName(region.name, 'name');
  checkName(region.schemeName, 'schemeName');
  for (const [list, field] of [
    [region.jurisdictions, 'jurisdictions'],
    [region.cities, 'cities'],
    [region.districts, 'districts'],
    [region.linkedPlaces, 'linkedPlaces'],
  ] as const) {
    for (const [i, place] of list.entries()) checkName(place.name, `${field}[${i}].name`);
  }
  for (const [i, party] of parties.entries()) checkName(party.name, `[${i}].name`, shown('parties.json'));

  for (const [list, name] of [
    [region.jurisdictions, 'jurisdictions'],
    [region.cities, 'cities'],
    [region.districts, 'districts'],
    [region.linkedPlaces, 'linkedPlaces'],
  ] as const) {
    const i = duplicate(list as { id: string }[]);
    if (i >= 0) fail(`${name}[${i}].id`, `"${list[i].id}" is used twice`);
  }
  const jurisdictionIds = new Set(region.jurisdictions.map((j) => j.id));
  const cityIds = new Set(region.cities.map((c) => c.id));
  const sourceIds = new Set(Object.keys(region.sources));
  const checkSources = (sources: string[], at: string) => {
    const missing = sources.find((s) => !sourceIds.has(s));
    if (missing) fail(`${at}.sources`, `cites "${missing}", which is not in sources`);
  };
  for (const [i, j] of region.jurisdictions.entries()) checkSources(j.sources, `jurisdictions[${i}]`);
  for (const [i, c] of region.cities.entries()) {
    if (!jurisdictionIds.has(c.jurisdiction)) {
      fail(`cities[${i}].jurisdiction`, `"${c.jurisdiction}" is not one of the jurisdictions`);
    }
    checkSources(c.sources, `cities[${i}]`);
  }
  for (const [i, d] of region.districts.entries()) {
    if (!cityIds.has(d.city)) fail(`districts[${i}].city`, `"${d.city}" is not one of the cities`);
    checkSources(d.sources, `districts[${i}]`);
  }
  for (const [i, p] of region.linkedPlaces.entries()) checkSources(p.sources, `linkedPlaces[${i}]`);

  const boundaries: Boundary[] = geo.features.map((f) => ({
    kind: f.properties.kind,
    id: f.properties.id,
    polygons: (f.geometry.type === 'Polygon'
      ? [f.geometry.coordinates]
      : f.geometry.coordinates) as MultiPolygon,
  }));
  const geoFile = shown('boundaries.geojson');
  for (const [i, b] of boundaries.entries()) {
    for (const [p, polygon] of b.polygons.entries()) {
      for (const [r, ring] of polygon.entries()) {
        const [first, last] = [ring[0], ring[ring.length - 1]];
        if (first[0] !== last[0] || first[1] !== last[1]) {
          fail(`features[${i}].geometry (polygon ${p}, ring ${r})`, 'the ring is not closed', geoFile);
        }
      }
    }
  }
  const boundaryOf = (kind: Boundary['kind'], id: string) =>
    boundaries.find((b) => b.kind === kind && b.id === id);
  const known = {
    city: cityIds,
    district: new Set(region.districts.map((d) => d.id)),
    linked: new Set(region.linkedPlaces.map((p) => p.id)),
  };
  boundaries.forEach((b, i) => {
    if (!known[b.kind].has(b.id))
      fail(`features[${i}].properties.id`, `no ${b.kind} "${b.id}" in region.json`, geoFile);
  });

  const inside = (point: LonLat, polygons: MultiPolygon) => sideOfMultiPolygon(point, polygons) === 'inside';
  region.cities.forEach((c, i) => {
    const b = boundaryOf('city', c.id);
    if (!b) fail('features', `no boundary for city "${c.id}"`, geoFile);
    if (!inside(c.centroid, b.polygons))
      fail(`cities[${i}].centroid`, `${c.centroid} is not inside the boundary of ${c.id}`);
  });
  region.districts.forEach((d, i) => {
    const b = boundaryOf('district', d.id);
    if (!b) fail('features', `no boundary for district "${d.id}"`, geoFile);
    if (!inside(d.centroid, b.polygons))
      fail(`districts[${i}].centroid`, `${d.centroid} is not inside the boundary of ${d.id}`);
    const city = boundaryOf('city', d.city)!;
    const outside = b.polygons.flat(2).find((v) => sideOfMultiPolygon(v, city.polygons) === 'outside');
    if (outside) fail(`districts[${i}]`, `its boundary leaves its city ${d.city} at ${outside}`, geoFile);
  });
  const areas = [
    ...region.cities.map((c) => ({
      id: c.id,
      centroid: c.centroid,
      polygons: boundaryOf('city', c.id)!.polygons,
    })),
    ...region.linkedPlaces.flatMap((p) => {
      const b = boundaryOf('linked', p.id);
      return b ? [{ id: p.id, centroid: p.centroid, polygons: b.polygons }] : [];
    }),
  ];
  for (let i = 0; i < areas.length; i++) {
    for (let j = i + 1; j < areas.length; j++) {
      const [a, b] = [areas[i], areas[j]];
      if (overlap(a.polygons, b.polygons, a.centroid, b.centroid)) {
        fail('features', `the boundaries of ${a.id} and ${b.id} overlap`, geoFile);
      }
    }
  }

  const partiesFile = shown('parties.json');
  const p = duplicate(parties);
  if (p >= 0) fail(`[${p}].id`, `"${parties[p].id}" is used twice`, partiesFile);
  parties.forEach((party, i) => {
    if (jurisdictionIds.has(party.id) || party.id === 'tongcheng') {
      fail(`[${i}].id`, `"${party.id}" is reserved for a jurisdiction or the scheme`, partiesFile);
    }
    if (!jurisdictionIds.has(party.jurisdiction)) {
      fail(`[${i}].jurisdiction`, `"${party.jurisdiction}" is not one of the jurisdictions`, partiesFile);
    }
    if (party.city && !cityIds.has(party.city))
      fail(`[${i}].city`, `"${party.city}" is not one of the cities`, partiesFile);
  });

  const museumsFile = shown('museums.json');
  const m = duplicate(museums.museums);
  if (m >= 0) fail(`museums[${m}].id`, `"${museums.museums[m].id}" is used twice`, museumsFile);
  const partyIds = new Set(parties.map((party) => party.id));
  const museumSources = new Set(Object.keys(museums.sources));
  museums.museums.forEach((museum, i) => {
    const at = `museums[${i}]`;
    checkName(museum.name, `${at}.name`, museumsFile);
    // Museums become parties: their ids share the parties' namespace.
    if (jurisdictionIds.has(museum.id) || museum.id === 'tongcheng') {
      fail(`${at}.id`, `"${museum.id}" is reserved for a jurisdiction or the scheme`, museumsFile);
    }
    if (partyIds.has(museum.id)) {
      fail(
        `${at}.id`,
        `"${museum.id}" is a party in parties.json too; list a museum in one file`,
        museumsFile,
      );
    }
    if (!cityIds.has(museum.city))
      fail(`${at}.city`, `"${museum.city}" is not one of the cities`, museumsFile);
    const missing = museum.sources.find((s) => !museumSources.has(s));
    if (missing) fail(`${at}.sources`, `cites "${missing}", which is not in sources`, museumsFile);
    if (!museum.location) {
      if (museum.outsideBoundary) fail(`${at}.outsideBoundary`, 'there is no location to flag', museumsFile);
      return;
    }
    // Closed boundaries, as locate's: a point on the border is in the city.
    const inCity =
      sideOfMultiPolygon(museum.location.lonLat, boundaryOf('city', museum.city)!.polygons) !== 'outside';
    if (!inCity && !museum.outsideBoundary) {
      fail(
        `${at}.location`,
        `${museum.location.lonLat} is not inside the boundary of ${museum.city}; fix it, or say why in outsideBoundary`,
        museumsFile,
      );
    }
    if (inCity && museum.outsideBoundary) {
      fail(
        `${at}.outsideBoundary`,
        `${museum.location.lonLat} is inside ${museum.city}: drop the flag`,
        museumsFile,
      );
    }
  });

  return { ...region, boundaries, parties, museums };
}
