/**
 * Reading GTFS zips entry by entry: the same files as reading the whole zip at once, for an
 * ordinary feed, a zip made by a streaming writer and one with a folder inside; and zip bombs
 * refused with a 422 problem naming the file, after a few MiB instead of gigabytes.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync, constants as zlib } from 'node:zlib';
import { strToU8, unzipSync, Zip, ZipDeflate, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { feedHash, readGtfs } from './gtfs.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CALTRAIN = path.join(ROOT, 'test/fixtures/gtfs-caltrain/caltrain_20160406.zip');
const dir = mkdtempSync(path.join(tmpdir(), 'tongcheng-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The hash the reader must give: over the .txt files of the whole zip, unzipped at once. */
function referenceHash(zip: Uint8Array): string {
  const files = Object.entries(unzipSync(zip))
    .map(([name, bytes]) => [name.split('/').pop()!, bytes] as const)
    .filter(([name]) => name.endsWith('.txt'))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const hash = createHash('sha256');
  for (const [name, bytes] of files) hash.update(name).update('\0').update(bytes).update('\0');
  return hash.digest('hex');
}

/**
 * A raw DEFLATE stream of `segments` × 16 MiB of zeros, built without holding them: one segment
 * compressed with a full flush is self-contained, so it can be repeated, then an empty final block.
 */
function zerosDeflated(segments: number): { data: Buffer; size: number } {
  const segment = deflateRawSync(Buffer.alloc(16 * 1024 ** 2), { level: 9, finishFlush: zlib.Z_FULL_FLUSH });
  return {
    data: Buffer.concat([...Array.from({ length: segments }, () => segment), Buffer.from([0x03, 0x00])]),
    size: segments * 16 * 1024 ** 2,
  };
}

const u16 = (n: number) => Buffer.from([n & 0xff, (n >> 8) & 0xff]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

/** A zip whose central directory lists `names`, every one of them the same single local entry. */
function zipOf(names: string[], data: Buffer, size: number): Buffer {
  const [first] = names;
  const local = Buffer.concat([
    u32(0x04034b50),
    u16(20),
    u16(0),
    u16(8),
    u32(0),
    u32(0),
    u32(data.length),
    u32(size),
    u16(Buffer.byteLength(first)),
    u16(0),
    Buffer.from(first),
    data,
  ]);
  const central = Buffer.concat(
    names.map((name) =>
      Buffer.concat([
        u32(0x02014b50),
        u16(20),
        u16(20),
        u16(0),
        u16(8),
        u32(0),
        u32(0),
        u32(data.length),
        u32(size),
        u16(Buffer.byteLength(name)),
        u16(0),
        u16(0),
        u16(0),
        u16(0),
        u32(0),
        u32(0),
        Buffer.from(name),
      ]),
    ),
  );
  const end = Buffer.concat([
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(names.length),
    u16(names.length),
    u32(central.length),
    u32(local.length),
    u16(0),
  ]);
  return Buffer.concat([local, central, end]);
}

async function refusal(file: string) {
  const before = process.memoryUsage().rss;
  const error = await readGtfs(file).then(
    () => undefined,
    (e) => e,
  );
  return { error, grewBy: process.memoryUsage().rss - before };
}

describe('reading a GTFS zip', () => {
  it('gives the files of the whole zip, for the Caltrain feed', () => {
    expect(feedHash(CALTRAIN)).toBe(referenceHash(readFileSync(CALTRAIN)));
  });

  it('reads a zip made by a streaming writer (sizes after the data), with the files in a folder', async () => {
    const files = unzipSync(readFileSync(CALTRAIN));
    const parts: Uint8Array[] = [];
    const zip = new Zip((error, chunk) => {
      if (error) throw error;
      parts.push(chunk);
    });
    for (const [name, bytes] of Object.entries(files)) {
      const entry = new ZipDeflate(`caltrain/${name}`, { level: 6 });
      zip.add(entry);
      entry.push(bytes, true);
    }
    const readme = new ZipDeflate('README', {});
    zip.add(readme);
    readme.push(strToU8('not a GTFS file'), true);
    zip.end();
    const file = path.join(dir, 'streamed.zip');
    writeFileSync(file, Buffer.concat(parts));
    expect(feedHash(file)).toBe(feedHash(CALTRAIN));
    expect((await readGtfs(file)).stops).toHaveLength((await readGtfs(CALTRAIN)).stops.length);
  });

  it('refuses a zip that inflates a thousandfold (1.5 MiB to 1.5 GiB), with bounded memory', async () => {
    const { data, size } = zerosDeflated(96);
    expect(size).toBeGreaterThan(1.5 * 1000 ** 3);
    const file = path.join(dir, 'bomb.zip');
    writeFileSync(file, zipOf(['stop_times.txt'], data, size));
    const { error, grewBy } = await refusal(file);
    expect(error).toMatchObject({ code: 'gtfs-invalid', status: 422, field: 'source' });
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/zip bomb: stop_times\.txt/);
    expect(grewBy).toBeLessThan(200 * 1024 ** 2);
  });

  it('refuses a zip of a few KiB whose directory names one 4 MiB entry 300 times (1.2 GiB if read by it)', async () => {
    const { data, size } = zerosDeflated(1);
    const names = Array.from({ length: 300 }, (_, i) => `stop_times_${i}.txt`);
    const zip = zipOf(names, data, size);
    expect(zip.length).toBeLessThan(64 * 1024);
    expect(size * names.length).toBeGreaterThan(1000 ** 3);
    const file = path.join(dir, 'overlap.zip');
    writeFileSync(file, zip);
    const { error, grewBy } = await refusal(file);
    // Read entry by entry, it is one file of zeros, and no feed.
    expect(error).toMatchObject({ code: 'gtfs-invalid', status: 422 });
    expect(grewBy).toBeLessThan(200 * 1024 ** 2);
  });

  it('names the file when it is not a zip, or ends early', async () => {
    const text = path.join(dir, 'text.zip');
    writeFileSync(text, 'agency_id,agency_name\n');
    await expect(readGtfs(text)).rejects.toMatchObject({
      code: 'gtfs-invalid',
      field: 'source',
      message: expect.stringContaining(text),
    });
    const whole = zipSync({ 'agency.txt': new Uint8Array(100_000).fill(65) });
    const truncated = path.join(dir, 'truncated.zip');
    writeFileSync(truncated, whole.subarray(0, 60));
    await expect(readGtfs(truncated)).rejects.toMatchObject({
      code: 'gtfs-invalid',
      message: expect.stringMatching(/truncated|agency\.txt/),
    });
  });
});
