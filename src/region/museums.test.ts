/**
 * The museum pass's network in the SMA pack: every museum named in both languages, in a known
 * city, priced in whole fen, placed inside its city or flagged, sourced, and a party of the
 * ledger; a broken museums file is refused naming the file, the field and the problem.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../lib/config.ts';
import type { App } from '../lib/http.ts';
import { openRuntime, type Runtime } from '../modules.ts';
import { regionParties } from '../parties/index.ts';
import { buildApp } from '../server/app.ts';
import { testStores } from '../store/testing.ts';
import { loadRegionPack } from './pack.ts';
import { Region } from './region.ts';
import { brokenPack } from './testing.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SMA = join(ROOT, 'data/regions/sma');
const region = new Region(loadRegionPack(SMA));
const { museums, sources } = region.pack.museums;

const brokenMuseums = (edit: (data: any) => unknown) => brokenPack(SMA, 'museums.json', edit);

describe('the SMA museums', () => {
  it('keeps the ids the pack had before the museums file, one museum a city at least', () => {
    const ids = museums.map((m) => m.id);
    for (const id of ['shanghai-museum', 'suzhou-museum', 'wuxi-museum', 'ningbo-museum', 'zhoushan-museum'])
      expect(ids).toContain(id);
    for (const city of region.pack.cities) expect(region.museums(city.id).length, city.id).toBeGreaterThan(0);
    expect(museums.length).toBeGreaterThanOrEqual(80);
  });

  it('prices in whole fen, cites known sources, and locates each placed museum in its city', () => {
    for (const m of museums) {
      expect(Number.isSafeInteger(m.priceFen) && m.priceFen >= 0, m.id).toBe(true);
      for (const s of m.sources) expect(sources[s], `${m.id} cites ${s}`).toBeDefined();
      if (m.priceFen === 0) expect(m.sources).toContain('free-admission-2008');
      if (m.location) {
        const [lon, lat] = m.location.lonLat;
        expect(region.locate(lat, lon).city?.id, m.id).toBe(m.city);
        expect(m.sources).toContain('tongcheng-museum-locations');
      }
    }
    expect(region.museums('ningbo').find((m) => m.id === 'tianyi-pavilion')).toMatchObject({
      priceFen: 3000,
    });
  });

  it('finds a city’s museums by its name, and refuses an unknown city', () => {
    expect(region.museums('苏州')).toEqual(region.museums('suzhou'));
    expect(() => region.museums('Atlantis')).toThrow(/no city "Atlantis"/);
  });

  it('makes every museum a party of kind museum, in its city’s jurisdiction, once', () => {
    const parties = regionParties(region);
    expect(new Set(parties.map((p) => p.id)).size).toBe(parties.length);
    const byId = new Map(parties.map((p) => [p.id, p]));
    for (const m of museums) {
      const city = region.pack.cities.find((c) => c.id === m.city)!;
      expect(byId.get(m.id)).toEqual({
        id: m.id,
        kind: 'museum',
        name: m.name,
        jurisdiction: city.jurisdiction,
      });
    }
    expect(parties.filter((p) => p.kind === 'museum')).toHaveLength(museums.length);
  });
});

describe('a broken museums file is refused', () => {
  it('a museum id twice', () => {
    const error = brokenMuseums((f) => {
      f.museums[3].id = f.museums[0].id;
    });
    expect(error.file).toMatch(/museums\.json$/);
    expect(error.message).toMatch(/museums\[3\]\.id: "shanghai-museum" is used twice/);
  });

  it('a museum id that parties.json has too', () => {
    expect(
      brokenMuseums((f) => {
        f.museums[0].id = 'shanghai-metro';
      }).message,
    ).toMatch(/museums\[0\]\.id: "shanghai-metro" is a party in parties\.json too/);
    expect(
      brokenMuseums((f) => {
        f.museums[0].id = 'jiangsu';
      }).message,
    ).toMatch(/reserved/);
  });

  it('an unknown city', () => {
    expect(
      brokenMuseums((f) => {
        f.museums[0].city = 'hangzhou';
      }).message,
    ).toMatch(/museums\[0\]\.city: "hangzhou" is not one of the cities/);
  });

  it('a price that is negative or not whole fen', () => {
    expect(
      brokenMuseums((f) => {
        f.museums[0].priceFen = -100;
      }).message,
    ).toMatch(/museums\[0\]\.priceFen: must be >= 0/);
    expect(
      brokenMuseums((f) => {
        f.museums[0].priceFen = 12.5;
      }).message,
    ).toMatch(/museums\[0\]\.priceFen: must be integer/);
  });

  it('a source that is not listed', () => {
    expect(
      brokenMuseums((f) => {
        f.museums[1].sources = ['my-guess'];
      }).message,
    ).toMatch(/museums\[1\]\.sources: cites "my-guess", which is not in sources/);
  });

  it('a name without English', () => {
    expect(
      brokenMuseums((f) => {
        delete f.museums[0].name.en;
      }).message,
    ).toMatch(/museums\[0\]\.name: has no name in "en"/);
  });

  it('a location outside its city, unless flagged; a flag on a location inside', () => {
    // Hangzhou's West Lake, in no SMA city.
    const westLake = [120.14, 30.25];
    expect(
      brokenMuseums((f) => {
        f.museums[0].location = { lonLat: westLake, approxKm: 1 };
      }).message,
    ).toMatch(
      /museums\[0\]\.location: 120\.14,30\.25 is not inside the boundary of shanghai; .*outsideBoundary/,
    );
    expect(
      brokenMuseums((f) => {
        f.museums[0].outsideBoundary = 'on an island the boundary leaves out';
      }).message,
    ).toMatch(/museums\[0\]\.outsideBoundary: .* is inside shanghai: drop the flag/);
    const noLocation = museums.findIndex((m) => m.location === null);
    expect(
      brokenMuseums((f) => {
        f.museums[noLocation].outsideBoundary = 'somewhere';
      }).message,
    ).toMatch(/outsideBoundary: there is no location to flag/);
  });

  it('a flagged location outside its city loads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tongcheng-pack-'));
    cpSync(SMA, dir, { recursive: true });
    const file = JSON.parse(readFileSync(join(dir, 'museums.json'), 'utf8'));
    file.museums[0].location = { lonLat: [120.14, 30.25], approxKm: 1 };
    file.museums[0].outsideBoundary = 'a test: West Lake';
    writeFileSync(join(dir, 'museums.json'), JSON.stringify(file));
    expect(loadRegionPack(dir).museums.museums[0].outsideBoundary).toBe('a test: West Lake');
  });

  it('no museums file: no museums', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tongcheng-pack-'));
    cpSync(SMA, dir, { recursive: true });
    rmSync(join(dir, 'museums.json'));
    expect(loadRegionPack(dir).museums).toEqual({ sources: {}, museums: [] });
  });
});

describe.each(testStores)('GET /api/region/museums on $dialect', ({ open }) => {
  let app: App;
  let runtime: Runtime;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const opened = await open();
    await opened.store.close();
    drop = opened.drop;
    const config = readConfig(
      {
        DATABASE_URL: opened.url,
        DATABASE_SCHEMA: opened.schema,
        TONGCHENG_VAR: mkdtempSync(join(tmpdir(), 'tongcheng-museums-api-')),
      },
      ROOT,
    );
    runtime = await openRuntime(config, 'write');
    app = await buildApp(runtime);
  });
  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    await drop?.();
  });

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('serves every museum with its sources, or one city’s, and 404 for an unknown city', async () => {
    const all = (await get('/api/region/museums')).json();
    expect(all.museums).toHaveLength(museums.length);
    expect(all.sources).toEqual(sources);
    const suzhou = (await get(`/api/region/museums?city=${encodeURIComponent('苏州')}`)).json();
    expect(suzhou.museums.map((m: { id: string }) => m.id)).toEqual(
      region.museums('suzhou').map((m) => m.id),
    );
    const unknown = await get('/api/region/museums?city=atlantis');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'unknown-city' });
  });

  it('seeds each museum as a party', async () => {
    const parties = (await get('/api/parties')).json() as { id: string; kind: string }[];
    expect(parties.filter((p) => p.kind === 'museum')).toHaveLength(museums.length);
  });
});
