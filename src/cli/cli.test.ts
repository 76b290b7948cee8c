import { execFile, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Runs the `tongcheng` command as a user would, in its own data folder. */
async function tongcheng(
  args: string[],
  env: Record<string, string> = {},
  as?: { uid: number; gid: number },
) {
  try {
    const { stdout, stderr } = await run('node', ['bin/tongcheng.js', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', ...env },
      // A command that hangs is killed, and fails the test with code null.
      timeout: 20_000,
      ...as,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'tongcheng-cli-'));

/** `tongcheng serve` on a free port until it says it serves (or exits), then stopped. */
async function serveOnce(env: Record<string, string>) {
  const port = await new Promise<number>((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
  const child = spawn('node', ['bin/tongcheng.js', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  await new Promise<void>((ok) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.includes('Tongcheng serves')) ok();
    });
    exited.then(() => ok());
  });
  const health = await fetch(`http://127.0.0.1:${port}/api/health`).then(
    (r) => r.status,
    () => 0,
  );
  const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
  const answers = {
    stops: await get('/api/transit/stops?feed=today').then(
      (r) => r.status,
      () => 0,
    ),
  };
  child.kill('SIGTERM');
  const code = await exited;
  return { code, stdout, stderr, health, answers, port };
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

  it('compares with a feed named by path, which only the CLI may do', async () => {
    const env = { TONGCHENG_VAR: tempDir() };
    const compared = await tongcheng(
      ['compare', '--base', 'data/regions/sma/gtfs/2022', '--with', 'today', '--json'],
      env,
    );
    expect(compared.code).toBe(0);
    const c = JSON.parse(compared.stdout);
    expect(c.base.feed).toMatch(/^2022-\d+$/);
    expect(c.with.feed).toBe('today');
    expect(c.average.changeMinutes).toBeLessThan(0);
    const missing = await tongcheng(['compare', '--base', './nowhere.zip', '--with', 'today'], env);
    expect(missing.stderr.trimEnd()).toBe('error: base: no file or folder "./nowhere.zip" (field: base)');
  });

  it('fails on an unknown command with help', async () => {
    const result = await tongcheng(['teleport']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/unknown command 'teleport'/);
  });

  it('prints one error line, without a stack, for every setting it cannot use, and never hangs', async () => {
    const dir = tempDir();
    const file = join(dir, 'file');
    writeFileSync(file, 'not a folder');
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const cases: [Record<string, string>, RegExp][] = [
      [{ PORT: 'abc' }, /^error: PORT must be a whole number from 0 to 65535; got "abc"$/],
      [{ PORT: '70000' }, /^error: PORT must be a whole number/],
      [{ REGION: 'Bad!' }, /^error: REGION must be a region id/],
      [{ REGION: './nowhere' }, /^error: nowhere\/region\.json: the file is missing or unreadable$/],
      [{ DATABASE_URL: 'nonsense' }, /^error: DATABASE_URL must be a URL/],
      [{ DATABASE_URL: 'mysql://db/x' }, /^error: DATABASE_URL must be a postgres:\/\/ URL/],
      [
        { DATABASE_URL: 'postgres://127.0.0.1:1/x' },
        /^error: cannot use the database at postgres:\/\/127\.0\.0\.1:1\/x: .*ECONNREFUSED/,
      ],
      [{ DATABASE_SCHEMA: 'Robert; drop' }, /^error: DATABASE_SCHEMA must be a plain lower-case identifier/],
      [{ TONGCHENG_VAR: file }, /^error: TONGCHENG_VAR \(.*file\) is not a folder$/],
      [{ TONGCHENG_VAR: join(file, 'sub') }, /^error: TONGCHENG_VAR \(.*\) lies under a file, not a folder$/],
      [{ TONGCHENG_VAR: fifo }, /^error: TONGCHENG_VAR \(.*fifo\) is not a folder$/],
      [{ TONGCHENG_ADMIN_KEY: 'short' }, /^error: TONGCHENG_ADMIN_KEY must be at least 32 characters/],
      [{ LOG_LEVEL: 'loud' }, /^error: LOG_LEVEL must be one of/],
      [{ REQUEST_TIMEOUT_MS: '-5' }, /^error: REQUEST_TIMEOUT_MS must be a whole number/],
      [{ TRANSIT_WORKERS: '0' }, /^error: TRANSIT_WORKERS must be a whole number from 1/],
    ];
    const route = ['route', '--from', 'Huzhou', '--to', 'Wuxi', '--at', '2026-12-01T08:00'];
    const runs = cases.flatMap(([env, message]) =>
      [['migrate'], route]
        // The planner needs no database: one that cannot be reached does not stop it.
        .filter((args) => !(args === route && env.DATABASE_URL?.includes(':1/')))
        .map((args) => ({ what: `${args[0]} with ${JSON.stringify(env)}`, message, args, env })),
    );
    // A few at a time: the machine has few cores, and a slow start must not look like a hang.
    const results = [];
    for (let i = 0; i < runs.length; i += 4) {
      const batch = runs.slice(i, i + 4);
      results.push(
        ...(await Promise.all(
          batch.map(async (r) => ({
            ...r,
            result: await tongcheng(r.args, { TONGCHENG_VAR: tempDir(), ...r.env }),
          })),
        )),
      );
    }
    for (const { what, message, result } of results) {
      expect(result.code, what).toBe(1);
      const stderr = result.stderr.trimEnd();
      expect(stderr, what).toMatch(message);
      expect(stderr.split('\n'), what).toHaveLength(1);
    }
    const served = await serveOnce({ TONGCHENG_VAR: fifo });
    expect(served.code).toBe(1);
    expect(served.stderr.trimEnd()).toMatch(/^error: TONGCHENG_VAR \(.*fifo\) is not a folder$/);
  }, 120_000);

  it('refuses a folder it may not write in, as any user but root can meet it', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const readOnly = join(dir, 'read-only');
    mkdirSync(readOnly, { mode: 0o555 });
    chmodSync(readOnly, 0o555);
    // Root writes everywhere: the command runs as nobody then.
    const as = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
    for (const args of [
      ['migrate'],
      ['route', '--from', 'Huzhou', '--to', 'Wuxi', '--at', '2026-12-01T08:00'],
    ]) {
      const result = await tongcheng(args, { TONGCHENG_VAR: readOnly, HOME: dir }, as);
      expect(result.code).toBe(1);
      expect(result.stderr.trimEnd()).toMatch(
        /^error: TONGCHENG_VAR \(.*read-only\) is not writable by this user$/,
      );
    }
  });

  it('escapes control characters in what it prints: tables, errors and commander’s messages', async () => {
    const env = { TONGCHENG_VAR: tempDir() };
    const label = '\u001b]0;owned\u0007\u001b[2J';
    expect(
      (
        await tongcheng(
          ['keys', 'create', '--party', 'suzhou-museum', '--role', 'museum', '--label', label],
          env,
        )
      ).code,
    ).toBe(0);
    const table = await tongcheng(['keys', 'list'], env);
    expect(table.stdout).toContain('\\u001b]0;owned\\u0007\\u001b[2J');
    expect(table.stdout).not.toContain('\u001b');
    const bad = await tongcheng([
      'route',
      '--from',
      '\u001b[31mRed',
      '--to',
      'Huzhou',
      '--at',
      '2026-12-01T08:00',
    ]);
    expect(bad.stderr).toContain('\\u001b[31mRed');
    expect(bad.stderr).not.toContain('\u001b');
    const unknown = await tongcheng(['\u001b]0;owned\u0007']);
    expect(unknown.stderr).toContain("unknown command '\\u001b]0;owned\\u0007'");
    expect(unknown.stderr).not.toContain('\u001b');
  });

  it('never writes the first admin key to stdout (the log): it goes to a file only its owner reads', async () => {
    const dir = tempDir();
    const served = await serveOnce({ TONGCHENG_VAR: dir });
    expect(served.health).toBe(200);
    const file = join(dir, 'first-admin-key');
    const secret = readFileSync(file, 'utf8').trim();
    expect(secret).toMatch(/^tc_/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(served.stdout).not.toContain(secret);
    expect(served.stderr).not.toContain(secret);
    expect(served.stderr).toContain(file);
    // stdout is the log: JSON lines only, and one of them says where the key is.
    const lines = served.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.some((l) => l.msg === `the first admin key is in ${file}`)).toBe(true);
    const again = await serveOnce({ TONGCHENG_VAR: dir });
    expect(again.stderr).not.toContain('first-admin-key');
  });

  it('starts beside a damaged imported feed, saying on stderr and in the log which one it skipped', async () => {
    const dir = tempDir();
    const zip = resolve(ROOT, 'test/fixtures/gtfs-caltrain/caltrain_20160406.zip');
    expect((await tongcheng(['import', 'gtfs', zip, '--as', 'caltrain'], { TONGCHENG_VAR: dir })).code).toBe(
      0,
    );
    const record = join(dir, 'feeds', 'caltrain', 'feed.json');
    writeFileSync(record, '{ damaged');
    const served = await serveOnce({ TONGCHENG_VAR: dir });
    expect(served.health).toBe(200);
    expect(served.answers.stops).toBe(200);
    expect(served.stderr).toMatch(
      new RegExp(`^warning: feed "caltrain" is skipped: ${record} is not valid JSON`, 'm'),
    );
    const warnings = served.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.level === 40);
    expect(warnings.map((w) => w.msg)).toEqual([
      expect.stringContaining(`feed "caltrain" is skipped: ${record}`),
    ]);
  });

  it('says which port is taken, in one line', async () => {
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(0, '127.0.0.1', ok));
    const { port } = blocker.address() as { port: number };
    const served = await serveOnce({ TONGCHENG_VAR: tempDir(), PORT: String(port) });
    blocker.close();
    expect(served.code).toBe(1);
    expect(served.stderr).toMatch(
      new RegExp(`^error: PORT ${port}: 127\\.0\\.0\\.1:${port} is in use by another program$`, 'm'),
    );
  });
});
