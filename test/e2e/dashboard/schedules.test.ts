/**
 * The dashboard's schedules page end to end: real API and worker processes on a private
 * redis-server (synthetic candles), headless Chromium creating a schedule through the form,
 * following its first run to the scan it started, then pausing, resuming and deleting it, with
 * the typed client checking that the API agrees at each step.
 */
import { TRPCClientError } from '@trpc/client';
import type { Page } from 'playwright-core';
import { screenshots, signIn } from './browser.js';
import { useDashboardBed } from './dashboardBed.js';

const WAIT = { timeout: 120_000 };

// A 1m schedule runs within a minute of being created: the next close plus a one-second settle.
const bed = useDashboardBed({
  workers: 1,
  env: { ANALYSIS_WORKER_CONCURRENCY: '2', SCHEDULE_SETTLE_DELAY: '1', SCHEDULE_POLL_MS: '200' },
});
const { asUser } = bed;

/** The tRPC error code of a rejected call, or 'resolved' when it did not reject. */
async function codeOf(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
    return 'resolved';
  } catch (error) {
    return error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : String(error);
  }
}

const scheduleRow = (page: Page, scheduleId: string, state?: 'active' | 'paused') =>
  page.locator(`tr[data-schedule-id="${scheduleId}"]${state ? `[data-state="${state}"]` : ''}`);

test('a schedule created through the form runs, links its run to the scan, pauses, resumes and is deleted', async () => {
  const page = await bed.browser.newPage();
  await signIn(page, bed.base, await bed.cluster.token('erin'));
  await page.getByRole('link', { name: 'Schedules' }).click();
  await page.getByRole('heading', { name: 'Your schedules' }).waitFor(WAIT);
  await page.getByText('No schedules yet.').waitFor(WAIT);

  // Bad input: the API's messages show beside their fields, and nothing is written.
  await page.locator('#schedule-symbols').fill('btcusdt, x');
  await page.locator('#schedule-intervals').fill('1m, 7h');
  await page.getByRole('button', { name: 'Create schedule' }).click();
  await page.locator('[data-field-error="symbols"]').waitFor(WAIT);
  await page.locator('[data-field-error="intervals"]').waitFor(WAIT);
  await expect(page.locator('[data-field-error="intervals"]').textContent()).resolves.toContain(
    'interval must be one of',
  );
  await expect(page.locator('#schedule-intervals').getAttribute('aria-invalid')).resolves.toBe('true');
  await screenshots(page, 'schedule-form-errors');
  await expect(asUser('erin', (api) => api.schedules.list.query())).resolves.toMatchObject({ total: 0 });

  await page.locator('#schedule-symbols').fill('btcusdt ethusdt');
  await page.locator('#schedule-intervals').fill('1m');
  await page.locator('#schedule-timeframe').fill('1d');
  await page.getByRole('button', { name: 'Create schedule' }).click();
  const row = page.locator('tr[data-schedule-id][data-state="active"]');
  await row.waitFor(WAIT);
  await expect(page.locator('[data-field-error]').count()).resolves.toBe(0);
  const scheduleId = (await row.getAttribute('data-schedule-id'))!;
  const { schedules } = await asUser('erin', (api) => api.schedules.list.query());
  expect(schedules.map((schedule) => schedule.schedule_id)).toEqual([scheduleId]);
  expect(schedules[0]).toMatchObject({
    symbols: ['BTCUSDT', 'ETHUSDT'],
    intervals: ['1m'],
    timeframe: '1d',
    status: 'active',
  });
  const text = await row.textContent();
  expect(text).toContain('BTCUSDT, ETHUSDT');
  expect(text).toContain('1m · 1d');

  // The first run (at the next minute's close) shows in the row's recent runs, as a link to its scan.
  await row.getByRole('button', { name: 'Recent runs' }).click();
  await expect(row.getByRole('button', { name: 'Hide runs' }).getAttribute('aria-expanded')).resolves.toBe('true');
  const runLink = row.locator('li[data-run-scan-id] a').first();
  await runLink.waitFor(WAIT);
  const runScanId = await row.locator('li[data-run-scan-id]').first().getAttribute('data-run-scan-id');
  const detail = await asUser('erin', (api) => api.schedules.get.query({ schedule_id: scheduleId }));
  expect(detail.recent_runs.map((run) => run.scan_id)).toContain(runScanId);
  await screenshots(page, 'schedules');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshots(page, 'schedules-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await runLink.click();
  await page.locator(`article.scan[data-scan-id="${runScanId}"]`).waitFor(WAIT);
  await page.getByRole('link', { name: 'Schedules' }).click();

  // Pause: the row and the API both say paused; resume brings both back to active.
  await scheduleRow(page, scheduleId, 'active')
    .getByRole('button', { name: `Pause schedule ${scheduleId}` })
    .click();
  await scheduleRow(page, scheduleId, 'paused').waitFor(WAIT);
  await expect(asUser('erin', (api) => api.schedules.get.query({ schedule_id: scheduleId }))).resolves.toMatchObject({
    status: 'paused',
  });
  await expect(scheduleRow(page, scheduleId, 'paused').textContent()).resolves.toContain('(paused)');
  await screenshots(page, 'schedule-paused');
  await scheduleRow(page, scheduleId, 'paused')
    .getByRole('button', { name: `Resume schedule ${scheduleId}` })
    .click();
  await scheduleRow(page, scheduleId, 'active').waitFor(WAIT);
  await expect(asUser('erin', (api) => api.schedules.get.query({ schedule_id: scheduleId }))).resolves.toMatchObject({
    status: 'active',
  });

  // Another user sees none of it.
  const other = await bed.browser.newPage();
  await signIn(other, bed.base, await bed.cluster.token('frank'));
  await other.goto(`${bed.base}/#/schedules`);
  await other.getByText('No schedules yet.').waitFor(WAIT);
  await expect(other.locator('tr[data-schedule-id]').count()).resolves.toBe(0);
  await expect(codeOf(asUser('frank', (api) => api.schedules.get.query({ schedule_id: scheduleId })))).resolves.toBe(
    'NOT_FOUND',
  );
  await other.close();

  // Delete: the row goes, and the API no longer knows the schedule.
  await scheduleRow(page, scheduleId)
    .getByRole('button', { name: `Delete schedule ${scheduleId}` })
    .click();
  await scheduleRow(page, scheduleId).waitFor({ ...WAIT, state: 'detached' });
  await page.getByText('No schedules yet.').waitFor(WAIT);
  await expect(codeOf(asUser('erin', (api) => api.schedules.get.query({ schedule_id: scheduleId })))).resolves.toBe(
    'NOT_FOUND',
  );
  await page.close();
});
