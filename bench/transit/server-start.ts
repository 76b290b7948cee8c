/**
 * Server start from cache: `node bin/tongcheng.js serve` with PORT on a free port, TONGCHENG_VAR a temp dir and
 * DATABASE_URL empty (SQLite). A first run warms every cache (tsx transforms, SQLite migrations, timetable
 * cache if the server builds one) and is killed; then `runs` more starts are timed from spawn until
 * GET /api/health answers 200 (polled every 20 ms), and until GET /api/transit/stats first answers 200 from
 * the same process (null when it never does within `statsWaitMs` after health, e.g. a 404 before the route
 * exists). The spread (fastest and slowest start) is given beside the median: on a shared machine one
 * start can take twice another. `node --import tsx bench/transit/server-start.ts [runs]` times `runs` starts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { log, ROOT, round, runIfMain, stats } from './common.ts';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** Status code of a GET, or 0 when the connection fails. */
const status = (port: number, urlPath: string) =>
  new Promise<number>((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const elapsed = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function start(varDir: string, timeoutMs: number, statsWaitMs: number) {
  const port = await freePort();
  const t0 = process.hrtime.bigint();
  const child: ChildProcess = spawn(process.execPath, ['bin/tongcheng.js', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', TONGCHENG_VAR: varDir, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  try {
    let healthMs: number | null = null;
    while (!exited && elapsed(t0) < timeoutMs) {
      if ((await status(port, '/api/health')) === 200) {
        healthMs = elapsed(t0);
        break;
      }
      await sleep(20);
    }
    if (healthMs === null) throw new Error(`server did not become healthy:\n${output.slice(-2000)}`);
    let statsMs: number | null = null;
    let statsStatus = 0;
    let notFoundSince = -1;
    while (!exited && elapsed(t0) < healthMs + statsWaitMs) {
      statsStatus = await status(port, '/api/transit/stats');
      if (statsStatus === 200) {
        statsMs = elapsed(t0);
        break;
      }
      // A 404 that lasts is a route that does not exist (yet), not a timetable still loading.
      if (statsStatus !== 404) notFoundSince = -1;
      else if (notFoundSince < 0) notFoundSince = elapsed(t0);
      else if (elapsed(t0) - notFoundSince > 2000) break;
      await sleep(20);
    }
    return {
      healthMs: round(healthMs, 1),
      statsMs: statsMs === null ? null : round(statsMs, 1),
      statsStatus,
    };
  } finally {
    if (!exited) child.kill('SIGTERM');
    await Promise.race([exit, sleep(5000)]);
    if (!exited) child.kill('SIGKILL');
  }
}

export async function serverStart(runs = 3) {
  const varDir = mkdtempSync(path.join(tmpdir(), 'tongcheng-bench-var-'));
  try {
    log('server start: warm-up run');
    const warm = await start(varDir, 120_000, 60_000);
    const samples = [];
    for (let i = 0; i < runs; i++) {
      log(`server start: timed run ${i + 1}/${runs}`);
      samples.push(await start(varDir, 30_000, 5_000));
    }
    const health = stats(
      samples.map((s) => s.healthMs),
      1,
    );
    const statsTimes = samples.map((s) => s.statsMs).filter((x): x is number => x !== null);
    const healthTimes = samples.map((s) => s.healthMs);
    return {
      warmRun: warm,
      runs: samples,
      healthMs: health.median,
      healthSpreadMs: { min: Math.min(...healthTimes), max: Math.max(...healthTimes) },
      transitStatsMs: statsTimes.length === samples.length ? stats(statsTimes, 1).median : null,
      transitStatsStatus: samples[samples.length - 1].statsStatus,
    };
  } finally {
    rmSync(varDir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, () => serverStart(Number(process.argv[2] ?? 3)));
