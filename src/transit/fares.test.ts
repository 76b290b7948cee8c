/** Journeys carry their fare on the region's card: per ride and in total, or null with the reason. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaresService } from '../fares/service.ts';
import { loadRegionPack, Region } from '../region/index.ts';
import { FeedRegistry } from './feeds.ts';
import { TransitService } from './service.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PACK = join(ROOT, 'data/regions/sma');
const region = new Region(loadRegionPack(PACK));
const fares = new FaresService(join(PACK, 'fares'));
const registry = () => new FeedRegistry(join(PACK, 'gtfs'), mkdtempSync(join(tmpdir(), 'tongcheng-fares-')));

describe('journey fares', () => {
  it('Shanghai Hongqiao to Suzhou at 08:00 has a fare on Metropolitan Tong, its rides summing to it', async () => {
    const transit = new TransitService(region, registry(), () => fares.regional());
    const plan = await transit.route({ from: 'Shanghai Hongqiao', to: 'Suzhou', at: '2026-12-01T08:00' });
    expect(plan.journeys.length).toBeGreaterThan(0);
    for (const j of plan.journeys) {
      if (j.fare.total === null) {
        expect(j.fare.reason).toBeTruthy();
        continue;
      }
      expect(j.fare).toMatchObject({ medium: 'tong', currency: 'CNY', reason: null });
      expect(j.fare.total).toBeGreaterThan(0);
      const rides = j.legs.map((l, i) => (l.kind === 'ride' ? j.fare.legs[i] : null));
      expect(j.fare.legs).toEqual(rides);
      expect(j.fare.legs.reduce<number>((s, x) => s + (x ?? 0), 0)).toBe(j.fare.total);
    }
    expect(plan.journeys.some((j) => j.fare.total !== null)).toBe(true);
  });

  it('a journey on a line the fares do not price, or with no fares at all, says why', async () => {
    const plain = new TransitService(region, registry());
    const plan = await plain.route({ from: 'Shanghai Hongqiao', to: 'Suzhou', at: '2026-12-01T08:00' });
    expect(plan.journeys[0].fare).toMatchObject({ total: null, reason: 'no fares are configured' });
    const transit = new TransitService(region, registry(), () => fares.regional());
    const conventional = await transit.route({
      from: 'shanghai',
      to: 'suzhou',
      at: '2026-12-01T05:00',
      maxTransfers: 0,
    });
    const slow = conventional.journeys.find((j) =>
      j.legs.some((l) => l.kind === 'ride' && l.route.id === 'jh-conv'),
    );
    if (slow) expect(slow.fare.reason).toMatch(/no fare rule/);
  });
});
