/** Short chaos run: a worker's link to Redis blackholed past the claim timeout, then restored. */
import { jest } from '@jest/globals';
import { expectNoLossNoDuplicates } from './chaosAssertions.js';
import { partitionedWorker, partitionedWorkerShort } from './scenarios/partitionedWorker.js';

jest.setTimeout(partitionedWorkerShort.deadlineMs + 30_000);

test("a partitioned worker's jobs are taken over, and its late finishes are refused", async () => {
  const figures = await partitionedWorker(partitionedWorkerShort);
  expectNoLossNoDuplicates(figures);
  expect(figures.jobs_running_at_cut).toBeGreaterThan(0);
  expect(figures.held_jobs_taken_over).toBe(figures.jobs_running_at_cut);
  expect(figures.partition_seconds).toBeGreaterThan(partitionedWorkerShort.claimTimeoutSeconds);
});
