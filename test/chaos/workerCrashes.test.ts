/** Short chaos run: three workers, the oldest killed with SIGKILL while it holds jobs, four times, and replaced. */
import { jest } from '@jest/globals';
import { expectNoLossNoDuplicates } from './chaosAssertions.js';
import { workerCrashes, workerCrashesShort } from './scenarios/workerCrashes.js';

jest.setTimeout(workerCrashesShort.deadlineMs + 30_000);

test('workers killed with SIGKILL while holding jobs: nothing lost, nothing completed twice', async () => {
  const figures = await workerCrashes(workerCrashesShort);
  expectNoLossNoDuplicates(figures);
  expect(figures.worker_kills).toBe(workerCrashesShort.maxKills);
  // The kills hit processes holding entries, which then had to be taken over.
  expect(figures.entries_pending_on_killed_workers).toBeGreaterThan(0);
});
