/** Short chaos run: a rolling deploy (start a new worker, SIGTERM an old one) of every worker while jobs run. */
import { jest } from '@jest/globals';
import { expectNoLossNoDuplicates } from './chaosAssertions.js';
import { deployWhileBusy, deployWhileBusyShort } from './scenarios/deployWhileBusy.js';

jest.setTimeout(deployWhileBusyShort.deadlineMs + 30_000);

test('every worker replaced mid-run exits 0 and no job is lost or completed twice', async () => {
  const figures = await deployWhileBusy(deployWhileBusyShort);
  expectNoLossNoDuplicates(figures);
  expect(figures.workers_replaced).toBe(deployWhileBusyShort.workers * deployWhileBusyShort.rounds);
  expect(figures.exit_codes).toEqual([0]);
});
