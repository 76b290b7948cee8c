/**
 * The feed registry: feeds by id only (a path only through `registerFile`, the CLI's), a bounded
 * set of timetables in memory, a feed re-imported by another process served without a restart,
 * and a damaged record skipped and named.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedRegistry } from './feeds.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PACK = join(ROOT, 'data/regions/sma/gtfs');
const CALTRAIN = join(ROOT, 'test/fixtures/gtfs-caltrain/caltrain_20160406.zip');
const run = promisify(execFile);

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tongcheng-feeds-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** `tongcheng import gtfs` in a process of its own, as a person would run it beside the server. */
const importInAnotherProcess = (varDir: string, source: string, id: string) =>
  run('node', ['bin/tongcheng.js', 'import', 'gtfs', source, '--as', id], {
    cwd: ROOT,
    env: { ...process.env, TONGCHENG_VAR: varDir, DATABASE_URL: '' },
  });

/** The Caltrain feed as a folder, with San Francisco renamed. */
function renamedCaltrain(name: string): string {
  const dir = tempDir();
  for (const [file, bytes] of Object.entries(unzipSync(readFileSync(CALTRAIN)))) {
    const text = Buffer.from(bytes).toString('utf8');
    writeFileSync(join(dir, file), file === 'stops.txt' ? text.replaceAll('San Francisco', name) : text);
  }
  return dir;
}

describe('naming feeds', () => {
  it('opens feeds by id only: a path, even of a real feed, is an unknown feed', async () => {
    const feeds = new FeedRegistry(PACK, tempDir());
    for (const path of ['/etc', '../../etc/passwd', CALTRAIN, PACK, join(PACK, 'today')]) {
      await expect(feeds.open(path, 'base')).rejects.toMatchObject({
        code: 'unknown-feed',
        status: 404,
        field: 'base',
      });
    }
    expect((await feeds.open('2022')).info.id).toBe('2022');
  });

  it('opens a file the CLI registered, under an id made from its name', async () => {
    const feeds = new FeedRegistry(PACK, tempDir());
    const id = feeds.registerFile(CALTRAIN, 'with');
    expect(id).toBe('caltrain-20160406');
    expect(feeds.registerFile(CALTRAIN, 'with')).toBe(id);
    const { info, tt } = await feeds.open(id);
    expect(info).toMatchObject({ source: 'file', path: CALTRAIN });
    expect(tt.stopCount).toBe(95);
    expect(feeds.list().map((f) => f.id)).toEqual(['today', '2022']);
    expect(() => feeds.registerFile('/no/such/feed.zip', 'with')).toThrow(
      expect.objectContaining({ code: 'no-such-file', field: 'with' }),
    );
  });
});

describe('timetables in memory', () => {
  it('keeps the most recently used few, and loads an evicted one again', async () => {
    const varDir = tempDir();
    const one = new FeedRegistry(PACK, varDir, 1);
    const today = (await one.open('today')).tt;
    expect((await one.open('today')).tt).toBe(today);
    await one.open('2022');
    const again = (await one.open('today')).tt;
    expect(again).not.toBe(today);
    expect(again.hash).toBe(today.hash);
    const two = new FeedRegistry(PACK, varDir, 2);
    const kept = (await two.open('today')).tt;
    await two.open('2022');
    expect((await two.open('today')).tt).toBe(kept);
  });
});

describe('imported feeds', () => {
  let varDir: string;
  beforeAll(async () => {
    varDir = tempDir();
    await new FeedRegistry(PACK, varDir).import(CALTRAIN, 'caltrain');
  });

  it('serves a feed re-imported by another process, without a restart', async () => {
    const server = new FeedRegistry(PACK, varDir);
    const before = await server.open('caltrain');
    const named = (tt: typeof before.tt, text: string) => tt.stopNames.some((n) => n.includes(text));
    expect(named(before.tt, 'San Francisco')).toBe(true);
    await importInAnotherProcess(varDir, renamedCaltrain('Yerba Buena'), 'caltrain');
    const after = await server.open('caltrain');
    expect(after.tt.hash).not.toBe(before.tt.hash);
    expect(named(after.tt, 'Yerba Buena')).toBe(true);
    expect(named(after.tt, 'San Francisco')).toBe(false);
    expect((await server.open('caltrain')).tt).toBe(after.tt);
  });

  it('skips a feed whose record is damaged, names the file when it is asked for, and serves the others', async () => {
    const dir = tempDir();
    const feeds = new FeedRegistry(PACK, dir);
    await feeds.import(CALTRAIN, 'caltrain');
    await feeds.import(CALTRAIN, 'second');
    const record = join(dir, 'feeds', 'caltrain', 'feed.json');
    writeFileSync(record, '{"id": "caltrain", "name": ');
    const server = new FeedRegistry(PACK, dir);
    expect(server.list().map((f) => f.id)).toEqual(['today', '2022', 'second']);
    expect(server.damaged()).toEqual([
      { id: 'caltrain', file: record, reason: expect.stringMatching(/^is not valid JSON/) },
    ]);
    await expect(server.open('caltrain', 'with')).rejects.toMatchObject({
      code: 'feed-damaged',
      status: 422,
      field: 'with',
      message: expect.stringContaining(record),
    });
    expect((await server.open('second')).tt.stopCount).toBe(95);
    expect((await server.open('today')).info.id).toBe('today');
  });

  it('refuses records that point elsewhere or are no files, without blocking on a FIFO', async () => {
    const dir = tempDir();
    const feeds = new FeedRegistry(PACK, dir);
    await feeds.import(CALTRAIN, 'caltrain');
    const record = join(dir, 'feeds', 'caltrain', 'feed.json');
    const good = JSON.parse(readFileSync(record, 'utf8'));
    writeFileSync(record, JSON.stringify({ ...good, path: '/etc' }));
    // The record cannot choose the file: the timetable is the folder's own.
    expect(new FeedRegistry(PACK, dir).list().find((f) => f.id === 'caltrain')?.path).toBe(
      join(dir, 'feeds', 'caltrain', 'feed.zip'),
    );
    writeFileSync(record, JSON.stringify({ ...good, id: 'today' }));
    expect(new FeedRegistry(PACK, dir).damaged()).toEqual([]);
    const registry = new FeedRegistry(PACK, dir);
    registry.list();
    expect(registry.damaged()[0]).toMatchObject({
      id: 'caltrain',
      reason: 'names feed "today", not "caltrain"',
    });
    rmSync(record);
    mkdirSync(record);
    registry.list();
    expect(registry.damaged()[0]).toMatchObject({ id: 'caltrain', reason: 'is not a regular file' });
    rmSync(record, { recursive: true });
    await run('mkfifo', [record]);
    registry.list();
    expect(registry.damaged()[0]).toMatchObject({ id: 'caltrain', reason: 'is not a regular file' });
  });
});
