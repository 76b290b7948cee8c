import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Runs the `tongcheng` command as a user would, in its own data folder. */
async function tongcheng(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run('node', ['bin/tongcheng.js', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the tongcheng command', () => {
  it('prints the region as JSON and as a table', async () => {
    const json = await tongcheng(['region', '--json']);
    expect(json.code).toBe(0);
    const region = JSON.parse(json.stdout);
    expect(region.cities).toHaveLength(9);
    const table = await tongcheng(['region']);
    expect(table.stdout).toMatch(/苏州\S* Suzhou\s+Jiangsu/);
  });

  it('locates a point, and refuses a bad one with the field named', async () => {
    const found = await tongcheng(['region', 'locate', '31.23', '121.47', '--json']);
    expect(JSON.parse(found.stdout).city.id).toBe('shanghai');
    const bad = await tongcheng(['region', 'locate', 'abc', '121.47']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/lat must be a number.*"abc".*\(field: lat\)/);
  });

  it('creates, lists and revokes keys', async () => {
    const env = { TONGCHENG_VAR: mkdtempSync(join(tmpdir(), 'tongcheng-cli-')) };
    const created = await tongcheng(
      ['keys', 'create', '--party', 'suzhou-museum', '--role', 'museum', '--json'],
      env,
    );
    expect(created.code).toBe(0);
    const { key, secret } = JSON.parse(created.stdout);
    expect(secret).toMatch(/^tc_/);
    const listed = await tongcheng(['keys', 'list'], env);
    expect(listed.stdout).toContain(key.id);
    expect(listed.stdout).not.toContain(secret);
    const revoked = await tongcheng(['keys', 'revoke', key.id], env);
    expect(revoked.stdout).toMatch(/revoked key_/);
    const refused = await tongcheng(
      ['keys', 'create', '--party', 'suzhou-museum', '--role', 'operator'],
      env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/may hold keys with role museum or public.*\(field: role\)/);
  });

  it('reads without writing: `keys list` creates no database, and leaves one unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tongcheng-cli-'));
    const env = { TONGCHENG_VAR: dir };
    const fresh = await tongcheng(['keys', 'list'], env);
    expect(fresh.code).toBe(1);
    expect(fresh.stderr).toMatch(/^error: there is no database at .*`tongcheng migrate`/);
    expect(existsSync(join(dir, 'tongcheng.sqlite'))).toBe(false);
    expect((await tongcheng(['migrate'], env)).stdout).toMatch(/up to date/);
    const before = readFileSync(join(dir, 'tongcheng.sqlite'));
    expect((await tongcheng(['keys', 'list'], env)).code).toBe(0);
    expect((await tongcheng(['parties', '--json'], env)).code).toBe(0);
    expect(readFileSync(join(dir, 'tongcheng.sqlite')).equals(before)).toBe(true);
  });

  it('reports the rail network and plans a journey', async () => {
    const stats = JSON.parse(
      (await tongcheng(['transit', 'stats', '--json', '--date', '2026-12-01'])).stdout,
    );
    expect(stats.lines).toBe(23);
    const route = await tongcheng([
      'route',
      '--from',
      'Shanghai Hongqiao',
      '--to',
      'Huzhou',
      '--at',
      '2026-12-01T08:00',
    ]);
    expect(route.stdout).toMatch(/湖州 Huzhou/);
    const bad = await tongcheng([
      'route',
      '--from',
      'Nowhere Central',
      '--to',
      'Huzhou',
      '--at',
      '2026-12-01T08:00',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/no stop matches "Nowhere Central" \(field: from\)/);
  });

  it('imports a GTFS feed', async () => {
    const env = { TONGCHENG_VAR: mkdtempSync(join(tmpdir(), 'tongcheng-cli-')) };
    const zip = resolve(ROOT, 'test/fixtures/gtfs-caltrain/caltrain_20160406.zip');
    const imported = await tongcheng(['import', 'gtfs', zip, '--as', 'caltrain'], env);
    expect(imported.stdout).toMatch(/imported caltrain: 95 stops/);
    const feeds = JSON.parse((await tongcheng(['transit', 'feeds', '--json'], env)).stdout);
    expect(feeds.map((f: { id: string }) => f.id)).toContain('caltrain');
    const named = await tongcheng(['import', 'gtfs', zip], env);
    expect(named.stdout).toMatch(/imported caltrain-20160406:/);
  });

  it('fails on an unknown command with help', async () => {
    const result = await tongcheng(['teleport']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/unknown command 'teleport'/);
  });
});
