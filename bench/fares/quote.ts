/**
 * The fare engine's hot path, as the card uses it: a commuter's day of four legs (metro, rail,
 * metro, metro) re-rated on the regional card, and a tap-in's maximum fare. Prints JSON.
 */
import path from 'node:path';
import { FaresService } from '../../src/fares/service.ts';

const t0 = performance.now();
const e = new FaresService(path.resolve(import.meta.dirname, '../../data/regions/sma/fares')).regional();
const load = performance.now() - t0;
const legs = [
  { operator: 'suzhou-rail', from: 'szm-leqiao', to: 'szm-suzhou-rs', start: '2026-12-01T07:10:00+08:00' },
  {
    operator: 'cr-shanghai',
    route: 'jh-hsr',
    from: 'suzhou',
    to: 'shanghai_hongqiao',
    start: '2026-12-01T07:40:00+08:00',
  },
  {
    operator: 'shanghai-metro',
    from: 'shm-hongqiao-rs',
    to: 'shm-renmin-square',
    start: '2026-12-01T08:20:00+08:00',
  },
  {
    operator: 'shanghai-metro',
    from: 'shm-renmin-square',
    to: 'shm-hongqiao-rs',
    start: '2026-12-01T18:20:00+08:00',
  },
];
for (let i = 0; i < 2000; i++) e.quote(legs, { fareMedium: 'tong' });
const n = 20000;
const t1 = performance.now();
for (let i = 0; i < n; i++) e.quote(legs, { fareMedium: 'tong' });
const dt = performance.now() - t1;
const t2 = performance.now();
for (let i = 0; i < 2000; i++)
  e.maxFare('shanghai-metro', 'shm-hongqiao-rs', {}, '2026-12-01T08:00:00+08:00');
const dm = performance.now() - t2;
console.log(
  JSON.stringify({
    loadMs: Math.round(load),
    quotesPerSecond: Math.round(n / (dt / 1000)),
    legsPerSecond: Math.round((4 * n) / (dt / 1000)),
    maxFareMicros: Math.round((dm / 2000) * 1000),
  }),
);
