/**
 * `npm run screenshots`: makes the pictures the README and docs show, from the running
 * dashboard in Debian's Chromium: docs/dashboard.png (region view, 中文), docs/dashboard-en.png
 * (English), docs/transit.png (a journey on the rail planner) and the Metropolitan Tong views,
 * docs/card-*.png, on a simulated week of commuters (`tongcheng simulate commuters`, then
 * `tongcheng card ingest`, in a data folder of its own).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchBrowser, ROOT, startServer } from '../test/browser/harness.ts';

const DATE = '2026-11-24';
const adminKey = randomBytes(24).toString('hex');
const varDir = mkdtempSync(join(tmpdir(), 'tongcheng-shots-'));
const sim = join(varDir, 'sim');
const cli = (...args: string[]) => {
  const run = spawnSync(process.execPath, ['bin/tongcheng.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, TONGCHENG_VAR: varDir, DATABASE_URL: '', TONGCHENG_ADMIN_KEY: adminKey },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`tongcheng ${args.join(' ')}: ${run.stderr}`);
};
cli(
  'simulate',
  'commuters',
  '--riders',
  '1000',
  '--days',
  '7',
  '--seed',
  '1',
  '--start',
  '2026-11-23',
  '--out',
  sim,
);
cli('card', 'ingest', sim);
const [rider] = JSON.parse(readFileSync(join(sim, 'cards.json'), 'utf8')) as { number: string }[];

const server = await startServer({ TONGCHENG_VAR: varDir, TONGCHENG_ADMIN_KEY: adminKey });
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

  // Metropolitan Tong, each view in Chinese then English.
  // The language is remembered: the switch is pressed only when the page is not in `tag` yet.
  const inLanguage = async (tag: 'zh' | 'en') => {
    if (!(await page.evaluate(() => document.documentElement.lang)).startsWith(tag)) {
      await page.locator('[data-testid="lang-switch"]').click();
    }
    await page.waitForFunction((t) => document.documentElement.lang.startsWith(t), tag);
  };
  const both = async (name: string, ready: () => Promise<unknown>) => {
    await inLanguage('zh');
    await ready();
    await shoot(`card-${name}.png`);
    await inLanguage('en');
    await ready();
    await shoot(`card-${name}-en.png`);
  };
  await page.goto(`${server.base}/#/card/card?date=2026-11-25`);
  await page.locator('[data-testid="api-key"]').fill(adminKey);
  await page.locator('[data-testid="card-number"]').fill(rider.number);
  await page.locator('[data-testid="card-show"]').click();
  await both('account', () =>
    page.locator('[data-testid="card-days"] [data-day]').first().waitFor({ timeout: 30_000 }),
  );
  await page.goto(`${server.base}/#/card/settlement?date=${DATE}`);
  await page.locator('[data-testid="settle"]').click();
  await both('settlement', () =>
    page.locator('[data-testid="payments-sankey"] canvas').first().waitFor({ timeout: 30_000 }),
  );
  await page.goto(`${server.base}/#/card/statement?date=${DATE}&party=shanghai-metro`);
  await page.locator('[data-testid="statement-show"]').click();
  await both('statement', () => page.locator('[data-testid="statement-lines"]').waitFor({ timeout: 30_000 }));
  await page.goto(`${server.base}/#/card/flows?date=${DATE}`);
  await both('flows', () =>
    page.locator('[data-testid="flows-map"][data-loaded="true"]').waitFor({ timeout: 30_000 }),
  );
} finally {
  await browser.close();
  server.stop();
}
