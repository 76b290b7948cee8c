/**
 * Opens the dashboard as a person would: `npm start` on a free port, Debian's Chromium, the
 * region and transit views. Without Chromium it is skipped, unless TONGCHENG_REQUIRE_BROWSER is
 * set (as CI does), where a missing browser is a failure. The README's pictures are made by
 * `scripts/screenshots.ts`, not here.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchBrowser, type Running, startServer } from './harness.ts';

const haveBrowser = existsSync(CHROMIUM) || !!process.env.TONGCHENG_REQUIRE_BROWSER;

describe.skipIf(!haveBrowser)('the dashboard in Chromium', () => {
  let server: Running;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    server = await startServer();
    base = server.base;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    server?.stop();
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
    await page.locator('[data-testid="lang-switch"]').click();
    await expect.poll(() => page.locator('[data-testid="city-table"]').textContent()).toContain('Suzhou');
    expect(await page.evaluate(() => document.documentElement.lang)).toMatch(/^en/);
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
    // Each journey shows what it costs on the regional card (or that it has no fare).
    await expect
      .poll(() => page.locator('[data-journey] .journey-fare').first().textContent())
      .toMatch(/\d\.\d\d|暂无票价|No fare/);
    await page.locator('[data-testid="transit-stats"]').waitFor();

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
