import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Payment, Position } from './model.ts';
import { EXACT_NETTING_LIMIT, exactPayments, greedyPayments, netPositions } from './netting.ts';

/** Positions of n parties summing to zero; many small values so that zero-sum groups occur. */
const positions = (min: number, max: number, spread = 20) =>
  fc
    .array(fc.integer({ min: -spread, max: spread }), { minLength: min - 1, maxLength: max - 1 })
    .map((nets) => {
      const all = [...nets, -nets.reduce((a, b) => a + b, 0)];
      return all.map((net, i): Position => ({ party: `p${i}`, net: net * 100 }));
    });

function settles(ps: readonly Position[], payments: readonly Payment[]): boolean {
  const left = new Map(ps.map((p) => [p.party, p.net]));
  for (const pay of payments) {
    if (pay.amount <= 0 || pay.from === pay.to) return false;
    left.set(pay.from, left.get(pay.from)! + pay.amount);
    left.set(pay.to, left.get(pay.to)! - pay.amount);
  }
  return [...left.values()].every((v) => v === 0);
}

/** The most zero-sum blocks of any partition of the non-zero parties, by trying every partition. */
function bruteMinimum(ps: readonly Position[]): number {
  const nets = ps.map((p) => p.net).filter((n) => n !== 0);
  let most = 0;
  const blocks: number[] = [];
  const place = (i: number) => {
    if (i === nets.length) {
      if (blocks.every((b) => b === 0)) most = Math.max(most, blocks.length);
      return;
    }
    for (let b = 0; b < blocks.length; b++) {
      blocks[b] += nets[i];
      place(i + 1);
      blocks[b] -= nets[i];
    }
    blocks.push(nets[i]);
    place(i + 1);
    blocks.pop();
  };
  place(0);
  return nets.length - most;
}

it('greedy netting settles every position exactly in at most n − 1 payments', () => {
  fc.assert(
    fc.property(positions(1, 40, 1_000_000), (ps) => {
      const payments = greedyPayments(ps);
      const open = ps.filter((p) => p.net !== 0).length;
      expect(settles(ps, payments)).toBe(true);
      expect(payments.length).toBeLessThanOrEqual(Math.max(0, open - 1));
    }),
  );
});

it('exact netting settles every position in the fewest payments, as brute force finds', () => {
  fc.assert(
    fc.property(positions(1, 8, 4), (ps) => {
      const payments = exactPayments(ps);
      expect(settles(ps, payments)).toBe(true);
      expect(payments.length).toBe(bruteMinimum(ps));
      expect(payments.length).toBeLessThanOrEqual(greedyPayments(ps).length);
    }),
    { numRuns: 300 },
  );
});

it('nets exactly up to the limit and greedily beyond it', () => {
  const pairs = (n: number) =>
    Array.from({ length: n }, (_, i): Position => ({ party: `p${i}`, net: i % 2 === 0 ? 100 : -100 }));
  const few = netPositions(pairs(EXACT_NETTING_LIMIT));
  expect(few.netting).toBe('exact');
  // Six pairs that cancel each other: six payments, not eleven.
  expect(few.payments).toHaveLength(EXACT_NETTING_LIMIT / 2);
  expect(netPositions(pairs(EXACT_NETTING_LIMIT + 2)).netting).toBe('greedy');
});
