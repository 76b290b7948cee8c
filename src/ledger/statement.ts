/** Positions and statements from a period's flows, and a statement as CSV (RFC 4180). */
import type { Flow, Position, Statement, StatementLine } from './model.ts';

/** Each party's net position: Σ credits − Σ debits; they sum to zero, as every flow has two sides. */
export function positionsOf(flows: readonly Flow[]): Position[] {
  const net = new Map<string, number>();
  for (const f of flows) {
    net.set(f.debit, (net.get(f.debit) ?? 0) - f.amount);
    net.set(f.credit, (net.get(f.credit) ?? 0) + f.amount);
  }
  return [...net]
    .map(([party, n]) => ({ party, net: n }))
    .sort((a, b) => (a.party < b.party ? -1 : a.party > b.party ? 1 : 0));
}

/** A party's lines, one per counterparty and kind, and their totals. */
export function statementOf(
  party: string,
  flows: readonly Flow[],
  period: { run: string | null; from: string; to: string },
): Statement {
  const lines = new Map<string, StatementLine>();
  const line = (counterparty: string, kind: string) => {
    const key = JSON.stringify([counterparty, kind]);
    let l = lines.get(key);
    if (!l) {
      l = { counterparty, kind, debitCount: 0, debits: 0, creditCount: 0, credits: 0, net: 0 };
      lines.set(key, l);
    }
    return l;
  };
  for (const f of flows) {
    // A flow within the party (its float to its cash, say) is a debit and a credit of it.
    if (f.debit === party) {
      const l = line(f.credit, f.kind);
      l.debitCount += f.count;
      l.debits += f.amount;
      l.net -= f.amount;
    }
    if (f.credit === party) {
      const l = line(f.debit, f.kind);
      l.creditCount += f.count;
      l.credits += f.amount;
      l.net += f.amount;
    }
  }
  const sorted = [...lines.values()].sort((a, b) =>
    a.counterparty === b.counterparty
      ? a.kind < b.kind
        ? -1
        : a.kind > b.kind
          ? 1
          : 0
      : a.counterparty < b.counterparty
        ? -1
        : 1,
  );
  const totals = { debitCount: 0, debits: 0, creditCount: 0, credits: 0, net: 0 };
  for (const l of sorted) {
    totals.debitCount += l.debitCount;
    totals.debits += l.debits;
    totals.creditCount += l.creditCount;
    totals.credits += l.credits;
    totals.net += l.net;
  }
  return { ...period, party, lines: sorted, totals };
}

/** A field as RFC 4180 wants it: quoted, quotes doubled, when it holds a comma, quote or line break. */
export const csvField = (value: string | number): string => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const CSV_COLUMNS = [
  'counterparty',
  'kind',
  'debit_count',
  'debits_fen',
  'credit_count',
  'credits_fen',
  'net_fen',
];

/** One header row, one row per line, and a last row `total`; CRLF after every row. */
export function statementCsv(s: Statement): string {
  const rows: (string | number)[][] = [
    CSV_COLUMNS,
    ...s.lines.map((l) => [l.counterparty, l.kind, l.debitCount, l.debits, l.creditCount, l.credits, l.net]),
    ['total', '', s.totals.debitCount, s.totals.debits, s.totals.creditCount, s.totals.credits, s.totals.net],
  ];
  return rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}
