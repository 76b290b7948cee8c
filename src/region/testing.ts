/** Test support: a copy of a pack with one file changed, and the error loading it gives. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadRegionPack, RegionPackError } from './pack.ts';

/** `edit` changes the parsed file in place, or returns its replacement. */
export function brokenPack(
  pack: string,
  file: string,
  // biome-ignore lint/suspicious/noExplicitAny: a test edits any part of any file.
  edit: (data: any) => unknown,
): RegionPackError {
  const dir = mkdtempSync(join(tmpdir(), 'tongcheng-pack-'));
  cpSync(pack, dir, { recursive: true });
  const path = join(dir, file);
  const data = JSON.parse(readFileSync(path, 'utf8'));
  writeFileSync(path, JSON.stringify(edit(data) ?? data));
  try {
    loadRegionPack(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(RegionPackError);
    return error as RegionPackError;
  }
  throw new Error('the broken pack loaded');
}
