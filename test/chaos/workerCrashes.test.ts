/**
 * Short chaos run: three workers, the oldest killed with SIGKILL while it holds jobs, up to four
 * times, and replaced. A fast machine may finish every job before the fourth kill: at least two.
 */
import { jest } from '@jest/globals';
import { expectNoLossNoDuplicates } from './chaosAssertions.js';
import { workerCrashes, workerCrashesShort } from './scenarios/workerCrashes.js';

jest.setTimeout(workerCrashesShort.deadlineMs + 30_000);

test('workers killed with SIGKILL while holding jobs: nothing lost, nothing completed twice', async () => {
  const figures = await workerCrashes(workerCrashesShort);
  expectNoLossNoDuplicates(figures);
  expect(figures.worker_kills).toBeGreaterThanOrEqual(2);
  expect(figures.worker_kills).toBeLessThanOrEqual(workerCrashesShort.maxKills);
  // The kills hit processes holding entries, which then had to be taken over.
  expect(figures.entries_pending_on_killed_workers).toBeGreaterThan(0);
  expect(figures.runs_held_by_killed_workers).toBeGreaterThan(0);
  // Every poison dead letter, if any, is explained by the kills: no run of a live process was counted.
  expect(figures.poison_unexplained).toBe(0);
  expect(figures.doubted_runs_of_live_processes).toBe(0);
});
