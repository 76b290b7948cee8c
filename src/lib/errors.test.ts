import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PROBLEMS, problem } from './errors.ts';

const DOC = join(import.meta.dirname, '../../docs/errors.md');

it('docs/errors.md lists exactly the registry, with the same status, title and field', () => {
  const rows = readFileSync(DOC, 'utf8')
    .split('\n')
    .map((line) => /^\| `([a-z-]+)` \| (\d{3}) \| (.+?) \| (.+?) \|$/.exec(line))
    .filter((m) => m !== null)
    .map(([, code, status, title, field]) => ({ code, status: Number(status), title, field }));
  const registry = Object.entries(PROBLEMS).map(([code, k]) => ({ code, ...k }));
  expect(rows).toEqual(registry);
});

it('a code always carries its registered status', () => {
  for (const [code, kind] of Object.entries(PROBLEMS)) {
    const p = problem(code as keyof typeof PROBLEMS, 'detail', 'field');
    expect(p.status).toBe(kind.status);
    expect(p.title).toBe(kind.title);
    expect(kind.status >= 400 && kind.status < 600).toBe(true);
  }
});

it('every code of the registry is raised somewhere in the sources: none is dead', () => {
  const sources: string[] = [];
  const walk = (dir: string) => {
    for (const item of readdirSync(dir)) {
      const path = join(dir, item);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('errors.ts'))
        sources.push(readFileSync(path, 'utf8'));
    }
  };
  walk(join(import.meta.dirname, '..'));
  const text = sources.join('\n');
  expect(Object.keys(PROBLEMS).filter((code) => !text.includes(`'${code}'`))).toEqual([]);
});
