/**
 * The reference's finer points, on the project's own small feeds: rule_priority, areas through
 * parent stations, rider categories, transfer counts, transfer type 2, join rules, and the
 * extension's caps with a service-day start; and a feed read from a zip.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { FareEngine } from './engine.ts';
import { readFareFeed } from './feed.ts';
import type { FareLeg } from './model.ts';
import { FaresService } from './service.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures');
const engine = (name: string) => new FareEngine(readFareFeed([path.join(FIXTURES, `fares-${name}`)]));

describe('rule_priority, parent stations, rider categories', () => {
  const p = engine('priority');
  const leg = (from: string, to: string): FareLeg[] => [
    { operator: 'P', from, to, start: '2026-12-01T08:00:00+01:00' },
  ];

  it('an empty field matches anything; the default category is priced when none is named', () => {
    expect(p.quote(leg('suburb', 'central_1')).total).toBe(300);
    expect(p.quote(leg('suburb', 'central_1'), { riderCategory: 'child' }).total).toBe(150);
  });

  it('the highest priority among the matching rules wins; a product for any category serves every rider', () => {
    expect(p.quote(leg('central_1', 'airport')).legs[0].product).toBe('to_airport');
    expect(p.quote(leg('suburb', 'airport'), { riderCategory: 'child' }).total).toBe(450);
  });

  it("a platform is in its station's area, unless it is assigned to another", () => {
    expect(p.quote(leg('central_9', 'airport')).legs[0]).toMatchObject({ product: 'express', single: 900 });
  });
});

describe('transfers, joins and caps', () => {
  const t = engine('transfers');
  const at = (time: string, day = '01') => `2026-12-${day}T${time}:00+09:00`;
  const bus = (time: string, day?: string): FareLeg => ({
    operator: 'bus',
    from: 'a',
    to: 'b',
    start: at(time, day),
  });
  const rail = (route: string, from: string, to: string, time: string): FareLeg => ({
    operator: 'rail',
    route,
    from,
    to,
    start: at(time),
  });
  const amounts = (legs: FareLeg[]) => t.quote(legs).legs.map((l) => l.amount);

  it('transfer_count: two transfers within the hour are free, a third pays', () => {
    expect(amounts([bus('08:00'), bus('08:10'), bus('08:20'), bus('08:30')])).toEqual([210, 0, 0, 210]);
  });

  it('fare_transfer_type 2: bus and metro together cost AB, the metro leg the difference', () => {
    expect(amounts([bus('08:00'), rail('red', 'a', 'c', '08:30')])).toEqual([210, 90]);
    expect(amounts([bus('08:00'), rail('red', 'a', 'c', '09:30')])).toEqual([210, 180]);
  });

  it('a join rule makes an in-station change one fare leg', () => {
    const q = t.quote([rail('red', 'a', 'c', '08:00'), rail('blue', 'c', 'd', '08:20')]);
    expect(q.legs.map((l) => l.amount)).toEqual([180, 0]);
    expect(q.legs[1].rules[0]).toContain('joined to leg 0');
  });

  it("caps: one operator's legs, and all legs, per service day from 04:00", () => {
    const q = t.quote([
      bus('07:00'),
      bus('09:00'),
      bus('11:00'),
      rail('red', 'a', 'c', '13:00'),
      rail('red', 'a', 'c', '15:00'),
      bus('03:30', '02'),
      bus('05:00', '02'),
    ]);
    expect(q.legs.map((l) => l.amount)).toEqual([210, 210, 80, 180, 20, 0, 210]);
    expect(q.uncapped).toBe(210 * 5 + 360);
    expect(q.legs[2].rules.at(-1)).toContain('daily cap bus-day');
    expect(t.serviceDayStart()).toBe('04:00');
  });
});

describe('a feed in a zip', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tongcheng-fares-zip-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prices as the same feed in a folder', () => {
    const folder = path.join(FIXTURES, 'fares-bart');
    const files = Object.fromEntries(
      readdirSync(folder).map((f) => [`bart/${f}`, readFileSync(path.join(folder, f))]),
    );
    const zip = path.join(dir, 'bart.zip');
    writeFileSync(zip, zipSync(files));
    const leg: FareLeg = { operator: 'BA', from: 'ASHB', to: 'OAKL', start: '2024-03-05T08:00:00-08:00' };
    expect(new FaresService(dir).load(zip).quote([leg]).total).toBe(945);
  });

  it('a feed with a dangling reference is refused naming file, line and field', () => {
    const bad = path.join(dir, 'bad');
    rmSync(bad, { recursive: true, force: true });
    const folder = path.join(FIXTURES, 'fares-bart');
    const files = Object.fromEntries(readdirSync(folder).map((f) => [f, readFileSync(path.join(folder, f))]));
    files['fare_leg_rules.txt'] = Buffer.from(
      'leg_group_id,from_area_id,to_area_id,fare_product_id\nBA,ASKB,GLEN,BA:matrix:ASHB-GLEN\n',
    );
    writeFileSync(path.join(dir, 'bad.zip'), zipSync(files));
    expect(() => readFareFeed([path.join(dir, 'bad.zip')])).toThrow(
      expect.objectContaining({
        code: 'gtfs-invalid',
        field: 'from_area_id',
        message: expect.stringContaining('line 2'),
      }),
    );
  });
});
