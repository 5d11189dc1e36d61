/**
 * The dashboard end to end: real API and worker processes on a private redis-server, a local
 * Binance-format server that answers, hangs or fails per symbol, and headless Chromium signing
 * in, queueing from the form, following progress, cancelling, and (admin) replaying a dead letter.
 */
import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { signToken } from '../../../router/auth.js';
import { createClient } from '../../../router/client.js';
import { type BinanceStub, startBinanceStub } from '../../support/binanceStub.js';
import { eventually } from '../../support/candelaProcess.js';
import { type ApiCluster, startApiCluster } from '../api/apiCluster.js';
import { launchBrowser, PHONE, screenshots, signIn, type TestBrowser } from './browser.js';

jest.setTimeout(180_000);

const WAIT = { timeout: 90_000 };

let binance: BinanceStub;
let cluster: ApiCluster;
let browser: TestBrowser;
let base: string;

beforeAll(async () => {
  binance = await startBinanceStub();
  binance.setMode('hang', 'SLOWUSDT');
  binance.setMode('error-500', 'DEADUSDT');
  cluster = await startApiCluster({
    workers: 1,
    env: {
      MARKET_DATA_PROVIDER: 'binance',
      BINANCE_BASE_URL: binance.baseUrl,
      ANALYSIS_MAX_RETRIES: '0',
      ANALYSIS_CIRCUIT_FAILURE_THRESHOLD: '1000',
      ANALYSIS_WORKER_CONCURRENCY: '2',
      ANALYSIS_METRICS_PUBLISH_INTERVAL: '1',
    },
  });
  base = cluster.apis[0]!;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await cluster?.stop();
  await binance?.close();
});

afterEach(() => {
  // Every page of every test: no console errors, no uncaught exceptions.
  expect(browser.problems).toEqual([]);
});

const rowOf = (page: Page, analysisId: string) => page.locator(`tr[data-analysis-id="${analysisId}"]`);

async function queueFromForm(page: Page, symbol: string): Promise<string> {
  const before = new Set(
    await page
      .locator('tbody tr[data-analysis-id]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-analysis-id'))),
  );
  await page.locator('#queue-symbol').fill(symbol);
  await page.getByRole('button', { name: 'Queue', exact: true }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `analysis of ${symbol}` })
    .waitFor(WAIT);
  return eventually(
    async () => {
      const ids = await page
        .locator('tbody tr[data-analysis-id]')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-analysis-id')));
      return ids.find((id) => id !== null && !before.has(id)) ?? undefined;
    },
    30_000,
    `a new row for ${symbol}`,
  );
}

test('a wrong or expired token is refused and says so; the right one signs in and is kept only in sessionStorage', async () => {
  const page = await browser.newPage();
  await page.goto(base);
  const token = page.locator('input[name="token"]');

  await token.fill(await signToken('some-other-secret-0123456789', 'alice'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Token rejected: invalid token' }).waitFor(WAIT);

  await token.fill(await cluster.token('alice', { expiresIn: '1 hour ago' }));
  await page.keyboard.press('Enter');
  await page.getByRole('alert').filter({ hasText: 'Token rejected: token expired' }).waitFor(WAIT);
  await screenshots(page, 'sign-in-rejected');

  const good = await cluster.token('alice');
  await token.fill(good);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Your analyses' }).waitFor(WAIT);
  expect(page.url()).not.toContain(good);
  expect(await page.evaluate(() => sessionStorage.getItem('candela.token'))).toBe(good);
  // A reload stays signed in (same tab); a new tab does not (sessionStorage is per tab).
  await page.reload();
  await page.getByRole('heading', { name: 'Your analyses' }).waitFor(WAIT);
  const other = await browser.newPage();
  await other.goto(base);
  await other.locator('input[name="token"]').waitFor(WAIT);
  await other.close();
  await page.close();
});

test('queue from the form: field errors inline, the row reaches 100% and completed, its page shows the chart and summary', async () => {
  const page = await browser.newPage();
  await signIn(page, base, await cluster.token('alice'));

  await page.locator('#queue-symbol').fill('btc');
  await page.locator('#queue-timeframe').fill('7x');
  await page.getByRole('button', { name: 'Queue', exact: true }).click();
  await page.locator('[data-field-error="symbol"]').filter({ hasText: 'symbol must be 2-20 upper-case' }).waitFor(WAIT);
  await page
    .locator('[data-field-error="timeframe"]')
    .filter({ hasText: 'timeframe must be a number and a unit' })
    .waitFor(WAIT);
  await screenshots(page, 'queue-form-errors');
  await page.locator('#queue-timeframe').fill('7d');

  const id = await queueFromForm(page, 'BTCUSDT');
  const row = rowOf(page, id);
  await page.locator(`tr[data-analysis-id="${id}"][data-status="completed"]`).waitFor(WAIT);
  await row.locator('[role="progressbar"][aria-valuenow="100"]').waitFor(WAIT);
  expect(await row.getByRole('progressbar').textContent()).toBe('100%');
  await screenshots(page, 'analyses');

  // Keyboard: the row's link opens the analysis.
  await row.getByRole('link', { name: 'BTCUSDT' }).focus();
  await page.keyboard.press('Enter');
  await page.locator(`article[data-analysis-id="${id}"][data-status="completed"]`).waitFor(WAIT);
  const chart = page.locator('img.chart');
  await chart.waitFor(WAIT);
  await page.waitForFunction(
    () => {
      const image = document.querySelector<HTMLImageElement>('img.chart');
      return image !== null && image.complete && image.naturalWidth > 0;
    },
    undefined,
    WAIT,
  );
  expect(await chart.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
  expect((await page.locator('.summary-text').textContent())?.length).toBeGreaterThan(20);
  await page.locator('[data-summary-source="rule-based"]').waitFor(WAIT);
  for (const caption of ['Indicators (latest values)', 'Support and resistance levels', 'Chart patterns'])
    await page.locator('caption', { hasText: caption }).waitFor(WAIT);
  // The timeline: the queued event, an attempt naming its worker, and the final event.
  await page.locator('.event[data-stage="queued"]').first().waitFor(WAIT);
  await page.locator('.attempt h4', { hasText: /Attempt 1 — worker \S+/ }).waitFor(WAIT);
  await page.locator('.event[data-stage="finished"]').waitFor(WAIT);
  await screenshots(page, 'analysis');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-artifacts/dashboard/analysis-dark-desktop.png', fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: 'test-artifacts/dashboard/analysis-dark-phone.png', fullPage: true });
  await page.close();
});

test('cancel a slow analysis from its page', async () => {
  const page = await browser.newPage();
  await signIn(page, base, await cluster.token('alice'));
  const id = await queueFromForm(page, 'SLOWUSDT');
  await page.locator(`tr[data-analysis-id="${id}"][data-status="processing"]`).waitFor(WAIT);
  await rowOf(page, id).getByRole('link', { name: 'SLOWUSDT' }).click();
  const cancel = page.getByRole('button', { name: 'Cancel' });
  await cancel.waitFor(WAIT);
  await cancel.click();
  await page.locator(`article[data-analysis-id="${id}"][data-status="cancelled"]`).waitFor(WAIT);
  await page.locator('.event[data-stage="finished"]', { hasText: /cancel/i }).waitFor(WAIT);
  await expect(page.getByRole('button', { name: 'Cancel' }).count()).resolves.toBe(0);
  await page.getByRole('link', { name: '← Your analyses' }).click();
  await page.locator(`tr[data-analysis-id="${id}"][data-status="cancelled"]`).waitFor(WAIT);
  await page.close();
});

test("a second user sees none of the first user's analyses", async () => {
  const alice = createClient({ url: base, token: await cluster.token('alice') });
  const { analyses } = await alice.api.analysis.list.query();
  alice.close();
  expect(analyses.length).toBeGreaterThan(0);

  const page = await browser.newPage(PHONE);
  await signIn(page, base, await cluster.token('bob'));
  await page.getByText('No analyses yet.').waitFor(WAIT);
  expect(await page.locator('tr[data-analysis-id]').count()).toBe(0);
  await page.goto(`${base}/#/analysis/${analyses[0]!.analysis_id}`);
  await page
    .getByRole('alert')
    .filter({ hasText: `no analysis ${analyses[0]!.analysis_id} for this user` })
    .waitFor(WAIT);
  expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
  await page.close();
});

test('an admin sees the queue and workers and replays a dead letter', async () => {
  const user = createClient({ url: base, token: await cluster.token('carol') });
  const { analysis_id: id } = await user.api.analysis.queue.mutate({
    symbol: 'DEADUSDT',
    interval: '1h',
    timeframe: '7d',
  });

  const page = await browser.newPage();
  await signIn(page, base, await cluster.token('root', { admin: true }));
  await page.getByRole('link', { name: 'Admin' }).click();
  await page.locator('tr[data-worker-id]').first().waitFor(WAIT);
  const letter = page.locator(`.dead-letters tr[data-analysis-id="${id}"]`);
  await letter.waitFor(WAIT);
  await letter.locator('summary').click();
  await letter.locator('.history li', { hasText: 'HTTP 500' }).first().waitFor(WAIT);
  await screenshots(page, 'admin');

  binance.setMode('ok', 'DEADUSDT');
  await letter.getByRole('button', { name: 'Replay' }).click();
  await page.getByRole('status').filter({ hasText: '1 of 1 dead letters queued again' }).waitFor(WAIT);
  await letter.waitFor({ state: 'detached', ...WAIT });
  await eventually(
    async () => ((await user.api.analysis.status.query({ analysis_id: id })).status === 'completed' ? true : undefined),
    90_000,
    'the replayed job to complete',
  );
  user.close();
  await page.close();
});
