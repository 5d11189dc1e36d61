/**
 * The dashboard's scans and alerts pages end to end: real API and worker processes on a private
 * redis-server (synthetic candles), the typed client creating scans and alert rules as a user's
 * script would, and headless Chromium watching the pages update without a reload.
 */
import type { Page } from 'playwright-core';
import { eventually } from '../../support/candelaProcess.js';
import { screenshots, signIn } from './browser.js';
import { useDashboardBed } from './dashboardBed.js';

const WAIT = { timeout: 120_000 };

const bed = useDashboardBed({ workers: 1, env: { ANALYSIS_WORKER_CONCURRENCY: '2' } });
const { asUser } = bed;

const childRows = (page: Page) => page.locator('table.children tbody tr[data-analysis-id]');

test("a scan created through the API shows in the user's scans, and its children table follows them to completed", async () => {
  const page = await bed.browser.newPage();
  await signIn(page, bed.base, await bed.cluster.token('alice'));
  await page.getByRole('link', { name: 'Scans' }).click();
  await page.getByRole('heading', { name: 'Your scans' }).waitFor(WAIT);
  await page.getByText('No scans yet.').waitFor(WAIT);

  const created = await asUser('alice', (api) =>
    api.scans.create.mutate({ symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'], intervals: ['1h', '4h'], timeframe: '3d' }),
  );
  expect(created.total).toBe(6);
  // The list picks the new scan up on its own.
  const listed = page.locator(`tr[data-scan-id="${created.scan_id}"]`);
  await listed.waitFor(WAIT);
  await expect(listed.textContent()).resolves.toContain('BTCUSDT, ETHUSDT, SOLUSDT');

  await listed.getByRole('link').click();
  const article = page.locator(`article[data-scan-id="${created.scan_id}"]`);
  await article.waitFor(WAIT);
  await expect(childRows(page).count()).resolves.toBe(6);
  const shown = await childRows(page).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-analysis-id')));
  expect(shown.sort()).toEqual(created.children.map((child) => child.analysis_id).sort());

  // No reload: the scan's feed and the page's re-reads move every row to completed.
  await page.locator(`article[data-scan-id="${created.scan_id}"][data-status="completed"]`).waitFor(WAIT);
  await eventually(
    async () => ((await page.locator('table.children tr[data-status="completed"]').count()) === 6 ? true : undefined),
    60_000,
    'six completed children on the page',
  );
  await expect(page.locator('[data-scan-counts]').textContent()).resolves.toContain('6 of 6 done · 6 completed');
  const scan = await asUser('alice', (api) => api.scans.status.query({ scan_id: created.scan_id }));
  expect(scan.status).toBe('completed');
  // Completed children show what the scan found: a trend for each.
  await expect(childRows(page).first().locator('td').nth(3).textContent()).resolves.toMatch(/^(up|down|sideways)$/);
  await screenshots(page, 'scan-completed');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshots(page, 'scan-completed-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // A child's row opens that analysis.
  await childRows(page).first().getByRole('link').click();
  await page.locator(`article.analysis[data-status="completed"]`).waitFor(WAIT);

  // Another user sees none of it.
  const other = await bed.browser.newPage();
  await signIn(other, bed.base, await bed.cluster.token('bob'));
  await other.goto(`${bed.base}/#/scans`);
  await other.getByText('No scans yet.').waitFor(WAIT);
  await other.goto(`${bed.base}/#/scan/${created.scan_id}`);
  await other.getByRole('alert').filter({ hasText: 'no scan' }).waitFor(WAIT);
  await other.close();
  await page.close();
});

test('the scan form shows field errors from the API, then starts a scan and opens it', async () => {
  const page = await bed.browser.newPage();
  await signIn(page, bed.base, await bed.cluster.token('dave'));
  await page.goto(`${bed.base}/#/scans`);
  await page.locator('#scan-symbols').fill('btcusdt, x');
  await page.locator('#scan-intervals').fill('1h, 7h');
  await page.getByRole('button', { name: 'Start scan' }).click();
  await page.locator('[data-field-error="symbols"]').waitFor(WAIT);
  await page.locator('[data-field-error="intervals"]').waitFor(WAIT);
  await screenshots(page, 'scan-form-errors');
  // Nothing was written.
  await expect(asUser('dave', (api) => api.scans.list.query())).resolves.toMatchObject({ total: 0 });

  await page.locator('#scan-symbols').fill('btcusdt ethusdt');
  await page.locator('#scan-intervals').fill('1h');
  await page.locator('#scan-timeframe').fill('2d');
  await page.getByRole('button', { name: 'Start scan' }).click();
  const article = page.locator('article.scan[data-scan-id]');
  await article.waitFor(WAIT);
  const scanId = await article.getAttribute('data-scan-id');
  const { scans } = await asUser('dave', (api) => api.scans.list.query());
  expect(scans.map((scan) => scan.scan_id)).toEqual([scanId]);
  expect(scans[0]).toMatchObject({ symbols: ['BTCUSDT', 'ETHUSDT'], intervals: ['1h'], timeframe: '2d', total: 2 });
  await page.locator(`article[data-scan-id="${scanId}"][data-status="completed"]`).waitFor(WAIT);
  await page.close();
});

test('an alert rule firing shows its alert on the open alerts page, and the filters narrow the list', async () => {
  const page = await bed.browser.newPage();
  await signIn(page, bed.base, await bed.cluster.token('carol'));
  const rule = await asUser('carol', (api) =>
    api.alerts.createRule.mutate({ name: 'Any pattern on BTC', symbols: ['BTCUSDT'] }),
  );
  await page.getByRole('link', { name: 'Alerts' }).click();
  await page.locator(`.rules li[data-rule-id="${rule.rule_id}"]`).waitFor(WAIT);
  await page.getByText('No alerts yet.').waitFor(WAIT);

  // The page is open (and subscribed) before the analysis that fires the rule is queued.
  const { analysis_id: analysisId } = await asUser('carol', (api) =>
    api.analysis.queue.mutate({ symbol: 'BTCUSDT', interval: '1d', timeframe: '60d' }),
  );
  const row = page.locator(`tr[data-alert-id][data-rule-id="${rule.rule_id}"]`).first();
  await row.waitFor(WAIT);
  const alertId = await row.getAttribute('data-alert-id');
  const { alerts } = await asUser('carol', (api) => api.alerts.list.query({ rule_id: rule.rule_id }));
  expect(alerts.map((alert) => alert.alert_id)).toContain(alertId);
  expect(alerts.find((alert) => alert.alert_id === alertId)?.analysis_id).toBe(analysisId);
  const text = await row.textContent();
  expect(text).toContain('BTCUSDT');
  expect(text).toContain('Any pattern on BTC');
  expect(await row.getAttribute('data-delivery')).toBe('none');
  await screenshots(page, 'alerts');

  // A filter that excludes it empties the table; clearing brings it back.
  const filters = page.getByRole('form', { name: 'Filter alerts' });
  await filters.locator('input[name="symbol"]').fill('ethusdt');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await page.getByText('No alerts match these filters.').waitFor(WAIT);
  await expect(page.locator('tr[data-alert-id]').count()).resolves.toBe(0);
  await filters.getByRole('button', { name: 'Clear' }).click();
  await page.locator(`tr[data-alert-id="${alertId}"]`).waitFor(WAIT);
  await filters.locator('select[name="rule_id"]').selectOption(rule.rule_id);
  await filters.getByRole('button', { name: 'Filter' }).click();
  await page.locator(`tr[data-alert-id="${alertId}"]`).waitFor(WAIT);
  await page.close();
});
