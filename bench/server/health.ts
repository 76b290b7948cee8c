/**
 * What request logging costs: requests per second of GET /api/health on `node bin/tongcheng.js
 * serve` (SQLite, a fresh var folder) with logging at the default level (LOG_LEVEL=info, the JSON
 * log read from a pipe, as a log collector would), at debug (where health checks are logged too,
 * one line each, as every other request is at info) and off (LOG_LEVEL=silent). The
 * load comes from a separate process: `connections` keep-alive connections, each sending its next
 * request when the last is answered, for `seconds` after a one-second warm-up. The two settings
 * alternate over `rounds` server starts each; the figures are medians. On a shared machine the
 * requests per second swing with the neighbours' load, so the server's own CPU time per answered
 * request (user + system, from /proc) is measured too: it is what logging adds, and what bounds
 * throughput on a busy server. Prints one JSON object.
 *
 *   node --import tsx bench/server/health.ts [rounds=3] [seconds=5] [connections=8]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The load process: prints how many requests were answered 200 while measuring. */
async function client(port: number, seconds: number, connections: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let counting = false;
  let answered = 0;
  let failed = 0;
  let running = true;
  const loop = async () => {
    while (running) {
      const status = await new Promise<number>((resolve) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/api/health', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', () => resolve(0));
      });
      if (!counting) continue;
      if (status === 200) answered++;
      else failed++;
    }
  };
  const loops = Array.from({ length: connections }, loop);
  await sleep(1000);
  counting = true;
  process.stdout.write('start\n');
  const t0 = process.hrtime.bigint();
  await sleep(seconds * 1000);
  counting = false;
  process.stdout.write('end\n');
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  running = false;
  await Promise.all(loops);
  agent.destroy();
  process.stdout.write(`${JSON.stringify({ perSecond: answered / elapsed, failed })}\n`);
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat, counted from 1, in clock ticks (100 a second).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function measure(logLevel: string, seconds: number, connections: number) {
  const port = await freePort();
  const varDir = mkdtempSync(path.join(tmpdir(), 'tongcheng-bench-health-'));
  const server: ChildProcess = spawn(process.execPath, ['bin/tongcheng.js', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), TONGCHENG_VAR: varDir, DATABASE_URL: '', LOG_LEVEL: logLevel },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logBytes = 0;
  server.stdout?.on('data', (d: Buffer) => {
    logBytes += d.length;
  });
  server.stderr?.resume();
  try {
    for (let i = 0; ; i++) {
      const up = await fetch(`http://127.0.0.1:${port}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (i > 500) throw new Error('the server did not start');
      await sleep(20);
    }
    const before = logBytes;
    const load = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        '--client',
        String(port),
        String(seconds),
        String(connections),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    let cpuAtStart = 0;
    let cpuAtEnd = 0;
    load.stdout?.on('data', (d) => {
      out += d;
      if (out.includes('start\n') && !cpuAtStart) cpuAtStart = cpuSeconds(server.pid!);
      if (out.includes('end\n') && !cpuAtEnd) cpuAtEnd = cpuSeconds(server.pid!);
    });
    await new Promise((resolve) => load.once('exit', resolve));
    const result = JSON.parse(out.split('\n').filter((l) => l.startsWith('{'))[0]) as {
      perSecond: number;
      failed: number;
    };
    const answered = result.perSecond * seconds;
    return {
      ...result,
      cpuMicrosecondsPerRequest: ((cpuAtEnd - cpuAtStart) * 1e6) / answered,
      logBytesPerRequest: (logBytes - before) / (result.perSecond * (seconds + 1)),
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(varDir, { recursive: true, force: true });
  }
}

const LEVELS = ['info', 'debug', 'silent'] as const;
type Level = (typeof LEVELS)[number];

async function main() {
  const [rounds = 3, seconds = 5, connections = 8] = process.argv.slice(2).map(Number);
  const runs: Record<Level, Awaited<ReturnType<typeof measure>>[]> = { info: [], debug: [], silent: [] };
  for (let r = 0; r < rounds; r++) {
    for (const level of LEVELS) {
      process.stderr.write(`health: round ${r + 1}/${rounds}, LOG_LEVEL=${level}\n`);
      runs[level].push(await measure(level, seconds, connections));
    }
  }
  const perSecond = (level: Level) => median(runs[level].map((x) => x.perSecond));
  const cpu = (level: Level) => median(runs[level].map((x) => x.cpuMicrosecondsPerRequest));
  const percent = (x: number) => Math.round(x * 1000) / 10;
  process.stdout.write(
    `${JSON.stringify(
      {
        bench: 'server/health',
        machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
        seconds,
        connections,
        requestsPerSecond: Object.fromEntries(
          LEVELS.map((l) => [
            l,
            { median: Math.round(perSecond(l)), runs: runs[l].map((x) => Math.round(x.perSecond)) },
          ]),
        ),
        serverCpuMicrosecondsPerRequest: Object.fromEntries(
          LEVELS.map((l) => [
            l,
            { median: Math.round(cpu(l)), runs: runs[l].map((x) => Math.round(x.cpuMicrosecondsPerRequest)) },
          ]),
        ),
        // Throughput lost to logging, against LOG_LEVEL=silent: as measured (noisy on a shared
        // machine), and as a CPU-bound server loses it, 1 − (CPU per request off) / (CPU per request on).
        loggingCostPercent: Object.fromEntries(
          (['info', 'debug'] as const).map((l) => [
            l,
            {
              throughput: percent(1 - perSecond(l) / perSecond('silent')),
              cpu: percent(1 - cpu('silent') / cpu(l)),
            },
          ]),
        ),
        logBytesPerRequest: Object.fromEntries(
          (['info', 'debug'] as const).map((l) => [
            l,
            Math.round(median(runs[l].map((x) => x.logBytesPerRequest))),
          ]),
        ),
        failed: Object.values(runs)
          .flat()
          .reduce((n, x) => n + x.failed, 0),
      },
      null,
      2,
    )}\n`,
  );
}

if (process.argv[2] === '--client') {
  await client(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]));
} else {
  await main();
}
