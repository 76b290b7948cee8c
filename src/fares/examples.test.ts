/**
 * The worked examples of the GTFS-Fares v2 documentation (gtfs.org, "Fares v2 examples"), each
 * a feed under test/fixtures/fares-*, priced as the page says they price.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FareEngine } from './engine.ts';
import { readFareFeed } from './feed.ts';
import type { FareLeg } from './model.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures');
const engine = (name: string) => new FareEngine(readFareFeed([path.join(FIXTURES, `fares-${name}`)]));

describe('MTA Maryland: 90 minutes of unlimited transfers within the core network', () => {
  const mta = engine('mta-maryland');
  const leg = (route: string, from: string, to: string, start: string): FareLeg => ({
    operator: 'MTA',
    route,
    from,
    to,
    start: `2024-03-05T${start}-05:00`,
  });

  it('a single leg costs the one-way fare, the cheapest product of its rules', () => {
    const q = mta.quote([leg('bus1', 'A', 'B', '08:00:00')]);
    expect(q).toMatchObject({ currency: 'USD', total: 200, uncapped: 200 });
    expect(q.legs[0].product).toBe('core_local_oneway_fare');
    expect(q.legs[0].rules[0]).toContain('fare_leg_rules.txt line 2');
  });

  it('bus, subway and light rail within 90 minutes of the first departure cost one fare', () => {
    const q = mta.quote([
      leg('bus1', 'A', 'B', '08:00:00'),
      leg('subway', 'B', 'C', '08:40:00'),
      leg('light', 'C', 'A', '09:29:00'),
    ]);
    expect(q.total).toBe(200);
    expect(q.legs.map((l) => l.amount)).toEqual([200, 0, 0]);
    expect(q.legs[2].rules.at(-1)).toContain('transfer 2 of unlimited');
  });

  it('a departure after the 90 minutes starts a new fare', () => {
    const q = mta.quote([leg('bus1', 'A', 'B', '08:00:00'), leg('subway', 'B', 'C', '09:30:01')]);
    expect(q.legs.map((l) => l.amount)).toEqual([200, 200]);
  });
});

describe('BART: fares by origin and destination area', () => {
  const bart = engine('bart');
  const leg = (from: string, to: string): FareLeg => ({
    operator: 'BA',
    from,
    to,
    start: '2024-03-05T08:00:00-08:00',
  });

  it('prices each pair its product', () => {
    expect(bart.quote([leg('ASHB', 'GLEN')]).total).toBe(475);
    expect(bart.quote([leg('ASHB', 'OAKL')]).total).toBe(945);
  });

  it('a pair no rule names has no fare: an area listed by a rule is not matched by an empty field', () => {
    expect(() => bart.quote([leg('GLEN', 'OAKL')])).toThrow(expect.objectContaining({ code: 'no-fare' }));
  });

  it('without a tap-out, the dearest destination from the entry', () => {
    const q = bart.quote([{ operator: 'BA', from: 'ASHB', start: '2024-03-05T08:00:00-08:00' }]);
    expect(q.total).toBe(945);
    expect(q.legs[0].rules[0]).toContain('no tap-out');
    expect(bart.maxFare('BA', 'ASHB')).toBe(945);
  });
});

describe('fare media', () => {
  it('Muni: $3 in cash, $2.50 on Clipper', () => {
    const muni = engine('muni');
    const legs: FareLeg[] = [
      { operator: 'SF', from: 'church', to: 'balboa', start: '2024-03-05T08:00:00-08:00' },
    ];
    expect(muni.quote(legs, { fareMedium: 'cash' }).total).toBe(300);
    expect(muni.quote(legs, { fareMedium: 'clipper' }).total).toBe(250);
    expect(() => muni.quote(legs, { fareMedium: 'bitcoin' })).toThrow(
      expect.objectContaining({ code: 'unknown-fare-medium', field: 'fareMedium' }),
    );
  });

  it('Clean Air Express: $6 tapping a contactless card, $7 otherwise', () => {
    const cae = engine('clean-air');
    const legs: FareLeg[] = [
      { operator: 'CAE', from: 'lompoc', to: 'sb', start: '2024-03-05T06:00:00-08:00' },
    ];
    expect(cae.quote(legs, { fareMedium: 'tap_to_ride' }).total).toBe(600);
    expect(cae.quote(legs).total).toBe(700);
  });
});

describe('WMATA: fares by the timeframe of the departure', () => {
  const wmata = engine('wmata');
  const at = (start: string) =>
    wmata.quote([{ operator: 'WMATA', route: 'red', from: 'metro_center', to: 'union_station', start }])
      .total;

  it('7:30 on a weekday is peak ($5); 11:30 off-peak ($3)', () => {
    expect(at('2022-09-14T07:30:00-04:00')).toBe(500);
    expect(at('2022-09-14T11:30:00-04:00')).toBe(300);
  });

  it('after 21:30 on a weekday, and at weekends, $2; local time decides, whatever the offset written', () => {
    expect(at('2022-09-14T22:00:00-04:00')).toBe(200);
    expect(at('2022-09-15T02:00:00Z')).toBe(200); // 22:00 in Washington
    expect(at('2022-09-17T12:00:00-04:00')).toBe(200);
  });

  it('a date no timeframe covers has no fare', () => {
    expect(() => at('2023-03-01T08:00:00-05:00')).toThrow(expect.objectContaining({ code: 'no-fare' }));
  });
});

describe('Metro-North: zones and timeframes together', () => {
  const mnr = engine('metro-north');
  const trip = (start: string, end: string) =>
    mnr.quote([{ operator: 'MNR', route: '669', from: 'ITO2383', to: 'ITO1897', start, end }]);

  it('train 869, leaving Grand Central at 18:45, pays the outbound peak fare of $20', () => {
    const q = trip('2023-06-14T18:45:00-04:00', '2023-06-14T20:00:00-04:00');
    expect(q.total).toBe(2000);
    expect(q.legs[0].product).toBe('mnr_1:HUD-7_adult_peak');
  });

  it('train 883, leaving at 21:04, pays the off-peak $15', () => {
    expect(trip('2023-06-14T21:04:00-04:00', '2023-06-14T22:20:00-04:00').total).toBe(1500);
  });

  it('inbound in the morning peak is peak; the to-timeframe decides', () => {
    const q = mnr.quote([
      {
        operator: 'MNR',
        from: 'ITO1897',
        to: 'ITO2383',
        start: '2023-06-14T07:00:00-04:00',
        end: '2023-06-14T08:15:00-04:00',
      },
    ]);
    expect(q.total).toBe(2000);
  });
});

describe('bad legs get clear problems', () => {
  const mta = engine('mta-maryland');
  it('names the field at fault', () => {
    const ok: FareLeg = { operator: 'MTA', from: 'A', to: 'B', start: '2024-03-05T08:00:00-05:00' };
    const cases: [FareLeg[], string, string][] = [
      [[{ ...ok, operator: 'XX' }], 'fare-leg-unknown', 'legs[0].operator'],
      [[{ ...ok, from: 'Z' }], 'fare-leg-unknown', 'legs[0].from'],
      [[{ ...ok, route: 'nope' }], 'fare-leg-unknown', 'legs[0].route'],
      [[{ ...ok, start: '2024-03-05 08:00' }], 'fare-leg-invalid', 'legs[0].start'],
      [[{ ...ok, end: '2024-03-05T07:00:00-05:00' }], 'fare-leg-invalid', 'legs[0].end'],
      [[ok, { ...ok, start: '2024-03-05T07:00:00-05:00' }], 'fare-leg-invalid', 'legs[1].start'],
    ];
    for (const [legs, code, field] of cases) {
      expect(() => mta.quote(legs)).toThrow(expect.objectContaining({ code, field }));
    }
    expect(() => mta.quote([ok], { riderCategory: 'child' })).toThrow(
      expect.objectContaining({ code: 'unknown-rider-category' }),
    );
  });
});
