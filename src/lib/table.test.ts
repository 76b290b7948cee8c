import { expect, it } from 'vitest';
import { formatTable } from './table.ts';

it('lines up wide characters and escaped control characters', () => {
  const rows = [
    { id: 'a', name: '上海 Shanghai' },
    { id: 'b', name: 'evil\u001b[2Jname\nsecond line\ttab' },
  ];
  const text = formatTable(rows, [
    { header: 'id', value: (r) => r.id },
    { header: 'name', value: (r) => r.name },
    { header: 'end', value: () => '|' },
  ]);
  const lines = text.split('\n');
  expect(lines).toHaveLength(4);
  expect(text.includes('\u001b') || text.includes('\t')).toBe(false);
  expect(lines[3]).toContain('evil\\u001b[2Jname\\nsecond line\\ttab');
  // The last column starts at the same place on every row (CJK characters count twice).
  const column = (line: string) => {
    let w = 0;
    for (const ch of line.slice(0, line.lastIndexOf('|'))) w += /[\u4e00-\u9fff]/.test(ch) ? 2 : 1;
    return w;
  };
  expect(column(lines[2])).toBe(column(lines[3]));
});
