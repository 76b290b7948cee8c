/**
 * A second pack, in other languages (Japanese first, then English), proves that names work for
 * any region: it loads, the API serves it, locate works, its parties are seeded in Japanese, a
 * name missing a language is refused, and the transit module copes with a pack without feeds.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../lib/config.ts';
import type { App } from '../lib/http.ts';
import { openRuntime, type Runtime } from '../modules.ts';
import { buildApp } from '../server/app.ts';
import { testStores } from '../store/testing.ts';
import { loadRegionPack } from './pack.ts';
import { Region } from './region.ts';
import { brokenPack } from './testing.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const TOKYO = join(ROOT, 'test/fixtures/regions/tokyo-mini');

const brokenTokyo = (file: string, edit: (data: any) => void) => brokenPack(TOKYO, file, edit);

describe('the tokyo-mini pack', () => {
  const region = new Region(loadRegionPack(TOKYO));

  it('loads, in Japanese and English', () => {
    expect(region.pack.languages).toEqual(['ja', 'en']);
    expect(region.pack.cities.map((c) => c.name.ja)).toEqual([
      '東京都区部',
      '横浜市',
      '川崎市',
      'さいたま市',
    ]);
    expect(region.pack.timeZone).toBe('Asia/Tokyo');
  });

  it('finds cities by name in either language', () => {
    expect(region.findCity('横浜市')?.id).toBe('yokohama');
    expect(region.findCity('横浜')?.id).toBe('yokohama');
    expect(region.findCity('さいたま')?.id).toBe('saitama');
    expect(region.findCity('kawasaki')?.id).toBe('kawasaki');
    expect(region.findCity('tokyo-wards')?.id).toBe('tokyo-wards');
    expect(region.findCity('上海')).toBeUndefined();
  });

  it('locates stations in their cities, and the bay and Kawaguchi in none', () => {
    const cityAt = (lat: number, lon: number) => region.locate(lat, lon).city?.id ?? null;
    expect(cityAt(35.466, 139.622)).toBe('yokohama'); // Yokohama station
    expect(cityAt(35.658, 139.7016)).toBe('tokyo-wards'); // Shibuya
    expect(cityAt(35.531, 139.697)).toBe('kawasaki'); // Kawasaki station
    expect(cityAt(35.906, 139.624)).toBe('saitama'); // Omiya
    expect(cityAt(35.5, 139.85)).toBeNull(); // Tokyo Bay
    expect(cityAt(35.807, 139.724)).toBeNull(); // Kawaguchi, not in the pack
    expect(region.locate(35.466, 139.622).jurisdiction?.name).toEqual({ ja: '神奈川県', en: 'Kanagawa' });
  });

  it('refuses a name without Japanese, naming the file, the field and the tag', () => {
    const error = brokenTokyo('region.json', (r) => {
      delete r.cities[1].name.ja;
    });
    expect(error.file).toMatch(/region\.json$/);
    expect(error.field).toBe('cities[1].name');
    expect(error.message).toMatch(/cities\[1\]\.name: has no name in "ja"/);
    const party = brokenTokyo('parties.json', (p) => {
      delete p[2].name.ja;
    });
    expect(party.file).toMatch(/parties\.json$/);
    expect(party.message).toMatch(/\[2\]\.name: has no name in "ja"/);
  });

  it('refuses a name in a language the pack does not declare', () => {
    const error = brokenTokyo('region.json', (r) => {
      r.jurisdictions[0].name['zh-Hans'] = '东京都';
    });
    expect(error.field).toBe('jurisdictions[0].name.zh-Hans');
    expect(error.message).toMatch(/"zh-Hans" is not one of the pack's languages \(ja, en\)/);
  });
});

describe.each(testStores)('a server on the tokyo-mini pack, on $dialect', ({ open }) => {
  let app: App;
  let runtime: Runtime;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const opened = await open();
    await opened.store.close();
    drop = opened.drop;
    const config = readConfig(
      {
        REGION: 'test/fixtures/regions/tokyo-mini',
        DATABASE_URL: opened.url,
        DATABASE_SCHEMA: opened.schema,
        TONGCHENG_VAR: mkdtempSync(join(tmpdir(), 'tongcheng-tokyo-api-')),
      },
      ROOT,
    );
    runtime = await openRuntime(config, 'write');
    for (const module of runtime.modules) await module.warm?.(await runtime.service(module), () => {});
    app = await buildApp(runtime);
  });
  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    await drop?.();
  });

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('serves the region with its languages and Japanese names', async () => {
    expect((await get('/api/health')).json().region).toBe('tokyo-mini');
    const body = (await get('/api/region')).json();
    expect(body.languages).toEqual(['ja', 'en']);
    expect(body.name.ja).toBe('東京圏（試験用）');
    expect(body.cities[1]).toMatchObject({ id: 'yokohama', name: { ja: '横浜市', en: 'Yokohama' } });
  });

  it('finds a city by its Japanese name and locates a point', async () => {
    expect((await get(`/api/region/cities/${encodeURIComponent('川崎')}`)).json().id).toBe('kawasaki');
    expect((await get('/api/region/cities/Saitama')).json().name.ja).toBe('さいたま市');
    const located = (await get('/api/region/locate?lat=35.466&lon=139.622')).json();
    expect(located.city).toEqual({ id: 'yokohama', name: { ja: '横浜市', en: 'Yokohama' } });
  });

  it('seeds the parties with their Japanese names, the scheme as the pack names it', async () => {
    const parties = (await get('/api/parties')).json() as { id: string; name: Record<string, string> }[];
    const byId = new Map(parties.map((p) => [p.id, p.name]));
    expect(byId.get('tongcheng')).toEqual({ ja: '同城', en: 'Tongcheng' });
    expect(byId.get('kanagawa')).toEqual({ ja: '神奈川県', en: 'Kanagawa' });
    expect(byId.get('tokyo-metro')).toEqual({ ja: '東京地下鉄', en: 'Tokyo Metro' });
    expect(parties).toHaveLength(1 + 3 + 7);
  });

  it('has no museums file, and serves no museums', async () => {
    expect((await get('/api/region/museums')).json()).toEqual({ sources: {}, museums: [] });
  });

  it('has no feeds, and says so with a problem rather than failing', async () => {
    expect((await get('/api/transit/feeds')).json()).toEqual([]);
    const stops = await get('/api/transit/stops?feed=today');
    expect(stops.statusCode).toBe(404);
    expect(stops.json().code).toBe('unknown-feed');
  });
});
