/** Plain text tables for people at a terminal; wide (CJK) characters take two columns. */
import { escapeControl } from './terminal.ts';

const width = (s: string) => {
  let w = 0;
  for (const ch of s)
    w +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1;
  return w;
};

/** A cell is one line: control characters, line breaks and tabs shown escaped, before widths are measured. */
const cellText = (text: string) =>
  escapeControl(text).replace(/[\n\t]/g, (c) => (c === '\n' ? '\\n' : '\\t'));

export interface Column<T> {
  header: string;
  value: (row: T) => string | number;
  align?: 'left' | 'right';
}

export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => cellText(String(c.value(row)))));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((r) => width(r[i]))));
  const line = (values: string[]) =>
    values
      .map((v, i) => {
        const pad = ' '.repeat(widths[i] - width(v));
        return columns[i].align === 'right' ? pad + v : v + pad;
      })
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.header)),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...cells.map(line),
  ].join('\n');
}

export const formatInteger = (n: number) => n.toLocaleString('en-US');

/** Fen as yuan with two decimals, in integer arithmetic: `-1234` is `-12.34`. */
export const formatFen = (fen: number): string =>
  `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
