/**
 * Opens the dashboard as a person would: `npm start` on a free port, Debian's Chromium, the
 * region view. Saves the screenshot the README shows. Without Chromium it is skipped, unless
 * TONGCHENG_REQUIRE_BROWSER is set (as CI does), where a missing browser is a failure.
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

describe.skipIf(!haveBrowser)('the dashboard in Chromium', () => {
  let server: ChildProcess;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: '',
        TONGCHENG_VAR: mkdtempSync(join(tmpdir(), 'tongcheng-web-')),
        LOG_LEVEL: 'warn',
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
    browser = await chromium.launch({
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
  });

  afterAll(async () => {
    await browser?.close();
    if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  });

  it('draws the map of the nine cities and the city table, in both languages', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, reducedMotion: 'reduce' });
    const failures: string[] = [];
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!/^(data|blob):/.test(r.url()) && !r.url().startsWith(base)) outside.push(r.url());
    });
    page.on('pageerror', (e) => failures.push(e.message));
    await page.goto(`${base}/#/region`);
    await page.locator('[data-testid="region-map"][data-loaded="true"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('[data-testid="city-table"] tr[data-city]').count()).toBe(9);
    await page.locator('[data-testid="population-chart"] canvas').first().waitFor();
    // The map must have drawn something: a screenshot of it is not one flat colour. WebGL
    // canvases cannot be read back, so the page decodes the screenshot in a 2D canvas.
    const shot = (await page.locator('[data-testid="region-map"]').screenshot()).toString('base64');
    const colours = await page.evaluate(async (png) => {
      const image = new Image();
      image.src = `data:image/png;base64,${png}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(image, 0, 0);
      const data = ctx.getImageData(0, 0, image.width, image.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4 * 7)
        seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return seen.size;
    }, shot);
    expect(colours).toBeGreaterThan(5);
    await expect.poll(() => page.locator('[data-testid="city-table"]').textContent()).toContain('苏州');
    await page.screenshot({ path: resolve(ROOT, 'docs/dashboard.png') });
    await page.locator('[data-testid="lang-switch"]').click();
    await expect.poll(() => page.locator('[data-testid="city-table"]').textContent()).toContain('Suzhou');
    expect(await page.evaluate(() => document.documentElement.lang)).toMatch(/^en/);
    await page.screenshot({ path: resolve(ROOT, 'docs/dashboard-en.png') });
    expect(outside, 'the dashboard must work offline').toEqual([]);
    expect(failures).toEqual([]);
  });

  it('plans a journey on the map, and shows the matrix, a departures board and the comparison', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, reducedMotion: 'reduce' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/#/transit/route?from=shanghai_hongqiao&to=huzhou&at=2026-12-01T08:00`);
    await page.locator('[data-testid="journey-results"] [data-journey]').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="transit-map"][data-loaded="true"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('[data-testid="journey-results"]').textContent()).toMatch(/湖州/);
    await page.locator('[data-testid="transit-stats"]').waitFor();
    await page.screenshot({ path: resolve(ROOT, 'docs/transit.png') });

    await page.goto(`${base}/#/transit/matrix`);
    await page.locator('[data-testid="matrix-chart"] canvas').first().waitFor({ timeout: 30_000 });
    await page.goto(
      `${base}/#/transit/departures?stop=shanghai_hongqiao&date=2026-12-01&from=07:00&to=09:00`,
    );
    await expect
      .poll(() => page.locator('[data-testid="departures-board"] tr[data-departure]').count(), {
        timeout: 30_000,
      })
      .toBeGreaterThan(30);
    await page.goto(`${base}/#/transit/compare`);
    await page.locator('[data-testid="compare-chart"] canvas').first().waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
  });
});
