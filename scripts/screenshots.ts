/**
 * `npm run screenshots`: makes the pictures the README and docs show, from the running
 * dashboard in Debian's Chromium: docs/dashboard.png (region view, 中文), docs/dashboard-en.png
 * (English) and docs/transit.png (a journey on the rail planner).
 */
import { resolve } from 'node:path';
import { launchBrowser, ROOT, startServer } from '../test/browser/harness.ts';

const server = await startServer();
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, reducedMotion: 'reduce' });
  const shoot = async (file: string) => {
    await page.screenshot({ path: resolve(ROOT, 'docs', file) });
    process.stderr.write(`docs/${file}\n`);
  };
  await page.goto(`${server.base}/#/region`);
  await page.locator('[data-testid="region-map"][data-loaded="true"]').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="population-chart"] canvas').first().waitFor();
  await shoot('dashboard.png');
  await page.locator('[data-testid="lang-switch"]').click();
  await page.locator('[data-testid="city-table"]', { hasText: 'Suzhou' }).waitFor();
  await shoot('dashboard-en.png');
  await page.goto(`${server.base}/#/transit/route?from=shanghai_hongqiao&to=huzhou&at=2026-12-01T08:00`);
  await page.locator('[data-testid="journey-results"] [data-journey]').first().waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="transit-map"][data-loaded="true"]').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="transit-stats"]').waitFor();
  await shoot('transit.png');
} finally {
  await browser.close();
  server.stop();
}
