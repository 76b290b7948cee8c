/**
 * Multilateral netting: turning each party's net position (they sum to zero) into payments
 * that settle every position exactly. Greedy netting (the largest debtor pays the largest
 * creditor) needs at most n − 1 payments for n non-zero parties: each payment zeroes at least
 * one party, the last zeroes two. The fewest possible is n − g, where g is the largest number
 * of disjoint zero-sum groups the parties split into (each group of k needs k − 1 payments,
 * and no payment crosses groups); for few parties subset DP finds g exactly.
 */
import type { Payment, Position } from './model.ts';

/** Exact netting up to this many non-zero parties: 2^12 subsets × 12 is instant. */
export const EXACT_NETTING_LIMIT = 12;

/** Payments by the largest debtor to the largest creditor, until every position is zero. */
export function greedyPayments(positions: readonly Position[]): Payment[] {
  const debtors = positions.filter((p) => p.net < 0).map((p) => ({ party: p.party, left: -p.net }));
  const creditors = positions.filter((p) => p.net > 0).map((p) => ({ party: p.party, left: p.net }));
  // Ties broken by party id, so that a run is reproducible.
  const order = (a: { party: string; left: number }, b: { party: string; left: number }) =>
    b.left - a.left || (a.party < b.party ? -1 : a.party > b.party ? 1 : 0);
  const payments: Payment[] = [];
  while (debtors.length > 0 && creditors.length > 0) {
    debtors.sort(order);
    creditors.sort(order);
    const d = debtors[0];
    const c = creditors[0];
    const amount = Math.min(d.left, c.left);
    payments.push({ from: d.party, to: c.party, amount });
    d.left -= amount;
    c.left -= amount;
    if (d.left === 0) debtors.shift();
    if (c.left === 0) creditors.shift();
  }
  if (debtors.length > 0 || creditors.length > 0) throw new Error('positions do not sum to zero');
  return payments;
}

/**
 * The fewest payments: the parties split into the most zero-sum groups (subset DP over the
 * non-zero ones, at most EXACT_NETTING_LIMIT), each settled greedily within itself.
 */
export function exactPayments(positions: readonly Position[]): Payment[] {
  const open = positions.filter((p) => p.net !== 0);
  const n = open.length;
  if (n > EXACT_NETTING_LIMIT) throw new Error(`exact netting takes at most ${EXACT_NETTING_LIMIT} parties`);
  const full = (1 << n) - 1;
  const sum = new Array<number>(full + 1).fill(0);
  // best[mask]: the most zero-sum groups the parties of mask form, when mask is an ordered
  // prefix whose groups are consecutive; the standard recurrence best[m] = max best[m − i] + [sum(m) = 0].
  const best = new Array<number>(full + 1).fill(0);
  const pick = new Array<number>(full + 1).fill(-1);
  for (let mask = 1; mask <= full; mask++) {
    const low = mask & -mask;
    sum[mask] = sum[mask ^ low] + open[31 - Math.clz32(low)].net;
    let top = -1;
    for (let i = 0; i < n; i++) {
      const bit = 1 << i;
      if (mask & bit && best[mask ^ bit] > top) {
        top = best[mask ^ bit];
        pick[mask] = i;
      }
    }
    best[mask] = top + (sum[mask] === 0 ? 1 : 0);
  }
  if (sum[full] !== 0) throw new Error('positions do not sum to zero');
  // Walk back: each time the remaining set sums to zero, what was peeled since closes a group.
  const groups: Position[][] = [];
  let group: Position[] = [];
  for (let mask = full; mask !== 0; ) {
    if (sum[mask] === 0 && group.length > 0) {
      groups.push(group);
      group = [];
    }
    const i = pick[mask];
    group.push(open[i]);
    mask ^= 1 << i;
  }
  if (group.length > 0) groups.push(group);
  return groups.flatMap((g) => greedyPayments(g));
}

/** The fewest payments when few parties have non-zero positions, else greedy's at most n − 1. */
export function netPositions(positions: readonly Position[]): {
  payments: Payment[];
  netting: 'exact' | 'greedy';
} {
  const open = positions.filter((p) => p.net !== 0).length;
  return open <= EXACT_NETTING_LIMIT
    ? { payments: exactPayments(positions), netting: 'exact' }
    : { payments: greedyPayments(positions), netting: 'greedy' };
}
