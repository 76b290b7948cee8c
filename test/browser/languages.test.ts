/**
 * The dashboard on a pack in other languages (tokyo-mini: Japanese, then English): names in
 * Japanese by default, the interface in English (which the switch's tooltip says), a switch to
 * English that is remembered. Skipped without Chromium, as the dashboard test is.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM) || !!process.env.TONGCHENG_REQUIRE_BROWSER;

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

describe.skipIf(!haveBrowser)('the dashboard on the tokyo-mini pack', () => {
  let server: ChildProcess;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ['bin/tongcheng.js', 'serve'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        REGION: 'test/fixtures/regions/tokyo-mini',
        DATABASE_URL: '',
        TONGCHENG_VAR: mkdtempSync(join(tmpdir(), 'tongcheng-web-tokyo-')),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((ready, failed) => {
      const timer = setTimeout(() => failed(new Error(`the server did not come up:\n${output}`)), 30_000);
      const watch = (chunk: Buffer) => {
        output += chunk;
        if (output.includes('Tongcheng serves')) {
          clearTimeout(timer);
          ready();
        }
      };
      server.stdout?.on('data', watch);
      server.stderr?.on('data', watch);
      server.on('exit', (code) => failed(new Error(`the server exited with ${code}:\n${output}`)));
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
  });

  it('shows names in Japanese, the interface in English, and remembers a switch to English', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, reducedMotion: 'reduce' });
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    const table = page.locator('[data-testid="city-table"]');
    const lang = () => page.evaluate(() => document.documentElement.lang);
    await page.goto(`${base}/#/region`);
    await page.locator('[data-testid="region-map"][data-loaded="true"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => table.locator('tr[data-city]').count()).toBe(4);
    expect(await table.textContent()).toContain('横浜市');
    expect(await table.locator('thead').textContent()).toContain('Population');
    expect(await lang()).toBe('ja');

    const change = page.locator('[data-testid="lang-switch"]');
    expect(await change.textContent()).toBe('English');
    expect(await change.getAttribute('title')).toMatch(/Chinese and English only.*日本語/);
    await change.click();
    await expect.poll(() => table.textContent()).toContain('Yokohama');
    expect(await lang()).toBe('en');
    expect(await change.textContent()).toBe('日本語');
    expect(await change.getAttribute('title')).toBeNull();

    await page.reload();
    await expect.poll(() => table.locator('tr[data-city]').count()).toBe(4);
    await expect.poll(() => table.textContent()).toContain('Yokohama');
    expect(failures).toEqual([]);
  });
});
