/**
 * The Metropolitan Tong views in Chromium, with data put in through the API as a validator
 * would: cards issued, a Shanghai Metro validator registered, a signed batch of taps of riders
 * who live in Huaqiao (Kunshan, Suzhou) and ride line 11 into Shanghai and back. Each view is
 * opened in both languages and must render without an error on the page.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tap } from '../../src/card/model.ts';
import { deviceKeyFromSeed, privateKeyObject, signBatch } from '../../src/card/signing.ts';
import { CHROMIUM, launchBrowser, type Running, startServer } from './harness.ts';

const haveBrowser = existsSync(CHROMIUM) || !!process.env.TONGCHENG_REQUIRE_BROWSER;
const ADMIN_KEY = `views-test-${randomBytes(16).toString('hex')}`;
const RIDERS = 4;

/** Three days ago in Shanghai: a whole service day, in the past whatever the clock says. */
const DATE = new Date(Date.now() + 8 * 3_600_000 - 3 * 86_400_000).toISOString().slice(0, 10);

async function call<T>(base: string, path: string, body: unknown, key = ADMIN_KEY): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Issues the riders' cards and ingests their day; returns the card numbers and an operator key. */
async function seed(base: string): Promise<{ cards: string[]; operatorKey: string }> {
  const cards: string[] = [];
  for (let i = 0; i < RIDERS; i++) {
    const card = await call<{ number: string }>(base, '/api/card/cards', {
      category: 'adult',
      issuer: 'jiangsu',
    });
    cards.push(card.number);
  }
  const device = deviceKeyFromSeed(new Uint8Array(32).fill(7));
  await call(base, '/api/card/validators', {
    id: 'test-shm-1',
    party: 'shanghai-metro',
    publicKey: device.publicKey,
  });
  const at = (time: string) => `${DATE}T${time}:00+08:00`;
  const taps: Tap[] = cards.flatMap((card, i) => {
    const tap = (n: number, kind: Tap['kind'], stop: string, time: string): Tap => ({
      id: `test-shm-1:${i}:${n}`,
      card,
      kind,
      stop,
      at: at(time),
    });
    return [
      tap(1, 'entry', 'shm-huaqiao', `07:${10 + i}`),
      tap(2, 'exit', 'shm-renmin-square', `08:${10 + i}`),
      tap(3, 'entry', 'shm-renmin-square', `18:${10 + i}`),
      // The last rider forgets to tap out: charged the maximum fare from the entry.
      ...(i === RIDERS - 1 ? [] : [tap(4, 'exit', 'shm-huaqiao', `19:${10 + i}`)]),
    ];
  });
  const batch = signBatch({ device: 'test-shm-1', seq: 1, taps }, privateKeyObject(device));
  const result = await call<{ accepted: number }>(base, '/api/card/taps', batch);
  expect(result.accepted).toBe(taps.length);
  const created = await call<{ secret: string }>(base, '/api/keys', {
    party: 'shanghai-metro',
    role: 'operator',
  });
  return { cards, operatorKey: created.secret };
}

describe.skipIf(!haveBrowser)('the Metropolitan Tong views in Chromium', () => {
  let server: Running;
  let browser: Browser;
  let cards: string[];
  let operatorKey: string;

  beforeAll(async () => {
    server = await startServer({ TONGCHENG_ADMIN_KEY: ADMIN_KEY });
    browser = await launchBrowser();
    ({ cards, operatorKey } = await seed(server.base));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.stop();
  });

  /** A page in Chinese (the pack's default), with what it logs as errors collected. */
  async function open(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, reducedMotion: 'reduce' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    return { page, errors };
  }

  const english = async (page: Page) => {
    await page.locator('[data-testid="lang-switch"]').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toMatch(/^en/);
  };

  it('looks a card up: its account and its day leg by leg, a missing tap-out said so', async () => {
    const { page, errors } = await open();
    await page.goto(`${server.base}/#/card/card?date=${DATE}`);
    await page.locator('[data-testid="key-needed"]').waitFor();
    await page.locator('[data-testid="api-key"]').fill(ADMIN_KEY);
    await page.locator('[data-testid="card-number"]').fill(cards[RIDERS - 1]);
    await page.locator('[data-testid="card-show"]').click();
    await page.locator(`[data-testid="card-days"] [data-day="${DATE}"]`).waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="card-summary"]').textContent()).toContain('正常');
    expect(await page.locator('[data-testid="card-balance"]').textContent()).toMatch(/^−?¥[\d,]+\.\d\d$/);
    await expect.poll(() => page.locator('tr[data-leg-status="no-exit"]').count()).toBe(1);
    expect(await page.locator('[data-testid="card-days"]').textContent()).toContain('无出站');
    await english(page);
    await expect.poll(() => page.locator('[data-testid="card-days"]').textContent()).toContain('No exit');
    expect(await page.locator('[data-testid="card-summary"]').textContent()).toContain('Active');
    // A number that is no card's: the problem as the server words it.
    await page.locator('[data-testid="card-number"]').fill('0000000000000000');
    await page.locator('[data-testid="card-show"]').click();
    await page.locator('[data-testid="error-panel"]').waitFor();
    expect(await page.locator('[data-testid="error-panel"]').textContent()).toContain('unknown-card');
    expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
  });

  it("settles the day: positions, payments, the Sankey and the operator's tie-back", async () => {
    const { page, errors } = await open();
    await page.goto(`${server.base}/#/card/settlement?date=${DATE}`);
    await page.locator('[data-testid="api-key"]').fill(ADMIN_KEY);
    await page.locator('[data-testid="settle"]').click();
    await page.locator('[data-testid="positions-chart"] canvas').first().waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="payments-sankey"] canvas').first().waitFor();
    // The riders' issuer (Jiangsu) pays Shanghai Metro: one payment, and the tie-back agrees.
    expect(await page.locator('[data-testid="payments"] tbody tr').count()).toBe(1);
    expect(await page.locator('[data-testid="payments"]').textContent()).toContain('上海申通地铁集团');
    expect(await page.locator('[data-testid="tie-back"] tr[data-agrees="true"]').count()).toBe(1);
    await english(page);
    await expect
      .poll(() => page.locator('[data-testid="payments"]').textContent())
      .toContain('Shanghai Shentong Metro');
    await page.locator('[data-testid="settle-group"]').selectOption('jurisdiction');
    await page.locator('[data-testid="settle"]').click();
    await expect.poll(() => page.locator('[data-testid="payments"]').textContent()).toContain('Jiangsu');
    expect(errors).toEqual([]);
  });

  it('shows an operator its own statement with its key, and downloads the CSV', async () => {
    const { page, errors } = await open();
    await page.goto(`${server.base}/#/card/statement?date=${DATE}&party=shanghai-metro`);
    await page.locator('[data-testid="api-key"]').fill(operatorKey);
    await page.locator('[data-testid="statement-show"]').click();
    await page.locator('[data-testid="statement-lines"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="statement-lines"]').textContent()).toContain('票款');
    const net = await page.locator('[data-testid="statement-net"]').textContent();
    expect(net).toMatch(/^¥[\d,]+\.\d\d$/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid="statement-csv"]').click(),
    ]);
    const csv = await (await download.createReadStream()).toArray();
    expect(Buffer.concat(csv).toString('utf8')).toContain('jiangsu');
    await english(page);
    await expect.poll(() => page.locator('[data-testid="statement-lines"]').textContent()).toContain('fare');
    // Another operator's statement is not this key's to see.
    await page.locator('[data-testid="statement-party"]').selectOption('wuxi-metro');
    await page.locator('[data-testid="statement-show"]').click();
    await page.locator('[data-testid="error-panel"]').waitFor();
    expect(errors.filter((e) => !e.includes('403'))).toEqual([]);
  });

  it('draws the flows between cities on the map, and says when a day has none', async () => {
    const { page, errors } = await open();
    await page.goto(`${server.base}/#/card/flows?date=${DATE}`);
    await page.locator('[data-testid="flows-map"][data-loaded="true"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="flow-table"] tr[data-flow]').count()).toBe(2);
    expect(await page.locator('[data-testid="flow-table"]').textContent()).toContain('苏州');
    await english(page);
    await expect.poll(() => page.locator('[data-testid="flow-table"]').textContent()).toContain('Suzhou');
    await page.locator('[data-testid="flows-date"]').fill('2020-01-01');
    await page.locator('[data-testid="no-flows"]').waitFor();
    expect(errors).toEqual([]);
  });
});
