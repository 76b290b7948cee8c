/**
 * The dashboard on a pack in other languages (tokyo-mini: Japanese, then English): names in
 * Japanese by default, the interface in English (which the switch's tooltip says), a switch to
 * English that is remembered. Skipped without Chromium, as the dashboard test is.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchBrowser, type Running, startServer } from './harness.ts';

const haveBrowser = existsSync(CHROMIUM) || !!process.env.TONGCHENG_REQUIRE_BROWSER;

describe.skipIf(!haveBrowser)('the dashboard on the tokyo-mini pack', () => {
  let server: Running;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    server = await startServer({ REGION: 'test/fixtures/regions/tokyo-mini' });
    base = server.base;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    server?.stop();
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
