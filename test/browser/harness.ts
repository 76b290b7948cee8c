/**
 * Tongcheng as a person meets it: `npm start` on a free port with its own data folder, and
 * Debian's Chromium driven by playwright-core. Used by the browser test and by
 * `scripts/screenshots.ts`, which makes the pictures in the README and docs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

export interface Running {
  base: string;
  stop(): void;
}

/** `npm start` on a free port; resolves once it says it serves. */
export async function startServer(env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const server: ChildProcess = spawn('npm', ['start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: '',
      TONGCHENG_VAR: mkdtempSync(join(tmpdir(), 'tongcheng-web-')),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  await new Promise<void>((ready, failed) => {
    const timer = setTimeout(() => failed(new Error(`npm start did not come up:\n${output}`)), 30_000);
    const watch = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Tongcheng serves')) {
        clearTimeout(timer);
        ready();
      }
    };
    server.stdout?.on('data', watch);
    server.stderr?.on('data', watch);
    server.on('exit', (code) => failed(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    stop: () => {
      if (server.pid) process.kill(-server.pid, 'SIGTERM');
    },
  };
}

/** Headless Chromium that asks nothing of the internet by itself. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}
