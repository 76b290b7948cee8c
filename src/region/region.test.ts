import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sideOfPolygon } from './geometry.ts';
import type { LonLat } from './model.ts';
import { loadRegionPack } from './pack.ts';
import { Region } from './region.ts';
import { brokenPack as brokenSma } from './testing.ts';

const SMA = resolve(import.meta.dirname, '../../data/regions/sma');
const region = new Region(loadRegionPack(SMA));

const brokenPack = (file: string, edit: (data: any) => unknown) => brokenSma(SMA, file, edit);

describe('the SMA pack', () => {
  it('has the 1+8 cities in three jurisdictions, every figure sourced', () => {
    const { cities, jurisdictions, districts, sources } = region.pack;
    expect(cities.map((c) => c.id)).toEqual([
      'shanghai',
      'suzhou',
      'wuxi',
      'changzhou',
      'nantong',
      'jiaxing',
      'huzhou',
      'ningbo',
      'zhoushan',
    ]);
    expect(jurisdictions.map((j) => j.id).sort()).toEqual(['jiangsu', 'shanghai', 'zhejiang']);
    expect(districts.map((d) => d.id).sort()).toEqual(['jiashan', 'qingpu', 'wujiang']);
    for (const c of cities) for (const s of c.sources) expect(sources[s]).toBeDefined();
    expect(region.pack.linkedPlaces.map((p) => p.id)).toContain('hangzhou');
    expect(region.pack.timeZone).toBe('Asia/Shanghai');
  });

  it('names everything in Simplified Chinese first, then English', () => {
    expect(region.pack.languages).toEqual(['zh-Hans', 'en']);
    expect(region.pack.schemeName).toEqual({ 'zh-Hans': '同城', en: 'Tongcheng' });
    expect(region.pack.cities[1].name).toEqual({ 'zh-Hans': '苏州', en: 'Suzhou' });
    for (const place of [...region.pack.jurisdictions, ...region.pack.cities, ...region.pack.parties]) {
      expect(Object.keys(place.name)).toEqual(['zh-Hans', 'en']);
    }
  });

  it('finds cities by id and by name in either language', () => {
    expect(region.findCity('suzhou')?.id).toBe('suzhou');
    expect(region.findCity('苏州')?.id).toBe('suzhou');
    expect(region.findCity('苏州市')?.id).toBe('suzhou');
    expect(region.findCity(' Ningbo ')?.id).toBe('ningbo');
    expect(region.findCity('上海市')?.id).toBe('shanghai');
    expect(region.findCity('Hangzhou')).toBeUndefined();
    expect(() => region.city('Atlantis')).toThrow(/no city "Atlantis"/);
  });
});

describe('locate', () => {
  it('puts each city centre in that city and its jurisdiction', () => {
    for (const city of region.pack.cities) {
      const [lon, lat] = city.centroid;
      const found = region.locate(lat, lon);
      expect(found.city?.id, city.id).toBe(city.id);
      expect(found.jurisdiction?.id).toBe(city.jurisdiction);
      expect(found.onBoundaryOf).toEqual([]);
    }
  });

  it('names the demonstration-zone district', () => {
    for (const d of region.pack.districts) {
      const found = region.locate(d.centroid[1], d.centroid[0]);
      expect(found.district?.id).toBe(d.id);
      expect(found.city?.id).toBe(d.city);
    }
    expect(region.locate(31.23, 121.47).district).toBeNull();
  });

  it('finds the Bund in Shanghai, and nothing in the East China Sea, Hangzhou or Nanjing', () => {
    expect(region.locate(31.23, 121.47).city?.id).toBe('shanghai');
    for (const [lon, lat] of [
      [123.5, 30.5],
      [122.8, 31.2],
      [120.21, 30.29],
      [118.8, 32.06],
    ]) {
      const found = region.locate(lat, lon);
      expect(found.city, `${lon},${lat}`).toBeNull();
      expect(found.jurisdiction).toBeNull();
    }
    expect(region.locate(30.29, 120.21).linkedPlace?.id).toBe('hangzhou');
    expect(region.locate(30.5, 123.5).linkedPlace).toBeNull();
  });

  it('puts a point on a shared border in the first city listed and names every city it touches', () => {
    const vertices = (id: string) =>
      new Set(
        region.pack.boundaries
          .find((b) => b.kind === 'city' && b.id === id)!
          .polygons.flat(2)
          .map((v) => v.join(',')),
      );
    const shanghai = vertices('shanghai');
    const suzhou = vertices('suzhou');
    const shared = [...shanghai].filter((v) => suzhou.has(v)).map((v) => v.split(',').map(Number) as LonLat);
    expect(shared.length).toBeGreaterThan(1);
    const [a, b] = shared;
    const midpoint: LonLat = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    for (const [lon, lat] of [a]) {
      const found = region.locate(lat, lon);
      expect(found.onBoundaryOf).toEqual(expect.arrayContaining(['shanghai', 'suzhou']));
      expect(found.city?.id).toBe('shanghai');
    }
    // The midpoint of two shared vertices need not lie on the border (they may not be adjacent),
    // but wherever it lies, locate agrees with the plain polygon test.
    const found = region.locate(midpoint[1], midpoint[0]);
    const inShanghai = sideOfPolygon(
      midpoint,
      region.pack.boundaries.find((x) => x.id === 'shanghai')!.polygons[0],
    );
    if (inShanghai !== 'outside') expect(found.city?.id).toBe('shanghai');
  });

  it('agrees with a linear scan of every boundary (property)', () => {
    const cities = region.pack.boundaries.filter((b) => b.kind === 'city');
    fc.assert(
      fc.property(
        fc.double({ min: 118.5, max: 123.5, noNaN: true }),
        fc.double({ min: 28.5, max: 33, noNaN: true }),
        (lon, lat) => {
          const scanned = cities
            .filter((b) => b.polygons.some((p) => sideOfPolygon([lon, lat], p) !== 'outside'))
            .map((b) => b.id);
          const found = region.locate(lat, lon);
          if (scanned.length === 0) expect(found.city).toBeNull();
          else expect(scanned).toContain(found.city?.id);
          expect(scanned.length <= 1 || found.onBoundaryOf.length > 1).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('a broken pack names the file, the field and the problem', () => {
  it('a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tongcheng-pack-'));
    expect(() => loadRegionPack(dir)).toThrow(/region\.json: the file is missing/);
  });

  it('bad JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tongcheng-pack-'));
    cpSync(SMA, dir, { recursive: true });
    writeFileSync(join(dir, 'region.json'), '{ "id": "sma", ');
    expect(() => loadRegionPack(dir)).toThrow(/region\.json: not valid JSON/);
  });

  it('a negative population', () => {
    const error = brokenPack('region.json', (r) => {
      r.cities[2].population = -5;
    });
    expect(error.file).toMatch(/region\.json$/);
    expect(error.field).toBe('cities[2].population');
    expect(error.message).toMatch(/cities\[2\]\.population: must be >= 1 \(got -5\)/);
  });

  it('an unknown jurisdiction', () => {
    const error = brokenPack('region.json', (r) => {
      r.cities[0].jurisdiction = 'anhui';
    });
    expect(error.message).toMatch(/cities\[0\]\.jurisdiction: "anhui" is not one of the jurisdictions/);
  });

  it('a figure without a source', () => {
    const error = brokenPack('region.json', (r) => {
      r.cities[1].sources = ['my-guess'];
    });
    expect(error.message).toMatch(/cities\[1\]\.sources: cites "my-guess"/);
  });

  it('a time zone that does not exist', () => {
    expect(
      brokenPack('region.json', (r) => {
        r.timeZone = 'Asia/Shanghia';
      }).field,
    ).toBe('timeZone');
  });

  it('a centroid outside its city', () => {
    const error = brokenPack('region.json', (r) => {
      r.cities[3].centroid = [123.5, 30.5];
    });
    expect(error.field).toBe('cities[3].centroid');
  });

  it('overlapping boundaries', () => {
    const error = brokenPack('boundaries.geojson', (g) => {
      const rings = (id: string) => {
        const f = g.features.find((x: any) => x.properties.kind === 'city' && x.properties.id === id);
        return (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates).flat();
      };
      // Push one Suzhou vertex that Shanghai shares 10 km into Shanghai.
      const shanghai = new Set(
        rings('shanghai')
          .flat()
          .map((v: number[]) => v.join(',')),
      );
      const ring = rings('suzhou')[0];
      const i = ring.findIndex(
        (v: number[], k: number) => k > 0 && k < ring.length - 1 && shanghai.has(v.join(',')),
      );
      ring[i] = [ring[i][0] + 0.1, ring[i][1]];
    });
    expect(error.file).toMatch(/boundaries\.geojson$/);
    expect(error.message).toMatch(/the boundaries of shanghai and suzhou overlap/);
  });

  it('a ring that is not closed', () => {
    const error = brokenPack('boundaries.geojson', (g) => {
      const ring =
        g.features[0].geometry.type === 'Polygon'
          ? g.features[0].geometry.coordinates[0]
          : g.features[0].geometry.coordinates[0][0];
      ring.pop();
    });
    expect(error.message).toMatch(/not closed/);
  });

  it('a city without a boundary', () => {
    const error = brokenPack('boundaries.geojson', (g) => {
      g.features = g.features.filter((f: any) => f.properties.id !== 'zhoushan');
    });
    expect(error.message).toMatch(/no boundary for city "zhoushan"/);
  });

  it('no languages, a malformed tag, a tag not in canonical form, a tag twice', () => {
    expect(
      brokenPack('region.json', (r) => {
        r.languages = [];
      }).field,
    ).toBe('languages');
    expect(
      brokenPack('region.json', (r) => {
        r.languages = ['zh-Hans', 'en-'];
      }).field,
    ).toBe('languages[1]');
    expect(
      brokenPack('region.json', (r) => {
        r.languages = ['zh-Hans', 'de-DE-1996-1996'];
      }).message,
    ).toMatch(/languages\[1\]: "de-DE-1996-1996" is not a well-formed BCP 47 language tag/);
    expect(
      brokenPack('region.json', (r) => {
        r.languages = ['zh-hans', 'en'];
      }).message,
    ).toMatch(/languages\[0\]: write "zh-hans" in its canonical form, "zh-Hans"/);
    expect(
      brokenPack('region.json', (r) => {
        r.languages = ['zh-Hans', 'en', 'zh-Hans'];
      }).message,
    ).toMatch(/languages\[2\]: "zh-Hans" is listed twice/);
  });

  it('a name without one of the pack’s languages, or in one it does not declare', () => {
    const missing = brokenPack('region.json', (r) => {
      delete r.cities[4].name.en;
    });
    expect(missing.field).toBe('cities[4].name');
    expect(missing.message).toMatch(/has no name in "en" \(the pack's languages: zh-Hans, en\)/);
    expect(
      brokenPack('region.json', (r) => {
        delete r.schemeName['zh-Hans'];
      }).field,
    ).toBe('schemeName');
    expect(
      brokenPack('region.json', (r) => {
        r.districts[0].name.ja = '青浦区';
      }).field,
    ).toBe('districts[0].name.ja');
    // The old key: "zh" is not "zh-Hans".
    const old = brokenPack('parties.json', (p) => {
      p[3].name = { zh: p[3].name['zh-Hans'], en: p[3].name.en };
    });
    expect(old.file).toMatch(/parties\.json$/);
    expect(old.message).toMatch(/\[3\]\.name: has no name in "zh-Hans"/);
    expect(
      brokenPack('region.json', (r) => {
        r.linkedPlaces[0].name = { 'zh-Hans': '杭州', en: '' };
      }).message,
    ).toMatch(/linkedPlaces\[0\]\.name\.en: must not have fewer than 1 characters/);
    expect(
      brokenPack('region.json', (r) => {
        r.cities[0].name.zh_Hans = '上海';
      }).message,
    ).toMatch(/cities\[0\]\.name\.zh_Hans: is not allowed here/);
  });

  it('a party in an unknown jurisdiction', () => {
    const error = brokenPack('parties.json', (p) => {
      p[0].jurisdiction = 'atlantis';
    });
    expect(error.message).toMatch(/parties\.json: \[0\]\.jurisdiction/);
  });
});
