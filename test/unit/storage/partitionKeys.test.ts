import { newAnalysisId, partitionOfId } from '../../../storage/analysisId.js';
import { createKeys, userPartition } from '../../../storage/keys.js';
import { newScanId } from '../../../storage/scans/scanId.js';
import { analysisIdSchema } from '../../../router/schemas.js';
import { parseChartPath } from '../../../storage/charts/chartPath.js';

test('one partition keeps the original names and id shape', () => {
  const keys = createKeys();
  const id = newAnalysisId();
  expect(id).toMatch(/^analysis_[0-9A-Z]{26}$/);
  expect(partitionOfId(id)).toBe(0);
  expect(keys.partitions).toBe(1);
  expect(keys.all().map((partition) => partition.stream)).toEqual(['market-analysis-jobs']);
  expect(keys.job(id)).toBe(`{market-analysis-jobs}:job:${id}`);
  expect(keys.userJobs('alice')).toBe('{market-analysis-jobs}:user:alice:jobs');
  expect(keys.partitionCount()).toBe('{market-analysis-jobs}:partitions');
});

test('partition p > 0 has its own stream and hash tag, and its ids name it', () => {
  const keys = createKeys(undefined, undefined, 3);
  const p2 = keys.forPartition(2);
  expect(p2.stream).toBe('market-analysis-jobs-p2');
  expect(p2.retrySchedule()).toBe('{market-analysis-jobs-p2}:retry');
  expect(p2.deadLetters()).toBe('{market-analysis-jobs-p2}:dead-letters');
  expect(p2.archive()).toBe('{market-analysis-jobs-p2}:archive');
  expect(p2.retentionSchedule()).toBe('{market-analysis-jobs-p2}:retention');
  const id = newAnalysisId(undefined, 2);
  expect(id).toMatch(/^analysis_[0-9A-Z]{26}-p2$/);
  expect(partitionOfId(id)).toBe(2);
  // Job keys route by the id, whichever partition's builder is asked.
  for (const builder of keys.all()) {
    expect(builder.job(id)).toBe(`{market-analysis-jobs-p2}:job:${id}`);
    expect(builder.progress(id)).toBe(`{market-analysis-jobs-p2}:progress:${id}`);
  }
  expect(keys.forJob(id)).toBe(p2);
  const scanId = newScanId(undefined, 1);
  expect(keys.scan(scanId)).toBe(`{market-analysis-jobs-p1}:scan:${scanId}`);
  // Channels, workers and alerts are not per job: partition 0 keeps them for every partition.
  expect(p2.progressChannel()).toBe(keys.progressChannel());
  expect(p2.alertChannel()).toBe('{market-analysis-jobs}:alert-events');
  expect(p2.workerIndex()).toBe(keys.workerIndex());
});

test("a user's indexes, cap and idempotency keys sit in the user's partition, which spreads users", () => {
  const keys = createKeys(undefined, undefined, 3);
  const users = Array.from({ length: 300 }, (_, index) => `user-${index}`);
  const counts = [0, 0, 0];
  for (const user of users) {
    const partition = keys.userPartition(user);
    counts[partition]! += 1;
    const tag = partition === 0 ? '{market-analysis-jobs}' : `{market-analysis-jobs-p${partition}}`;
    for (const key of [
      keys.userJobs(user),
      keys.userActiveJobs(user),
      keys.idempotency(user, 'k'),
      keys.userScans(user),
    ])
      expect(key.startsWith(`${tag}:`)).toBe(true);
    expect(keys.forUser(user).partition).toBe(partition);
  }
  for (const count of counts) expect(count).toBeGreaterThan(60);
  expect(userPartition('alice', 1)).toBe(0);
  // An explicit partition wins: a job written before the count changed keeps its old indexes.
  expect(keys.userJobs('alice', 2)).toBe('{market-analysis-jobs-p2}:user:alice:jobs');
});

test('ids with a partition suffix pass validation and chart paths; other suffixes do not', () => {
  const id = newAnalysisId(undefined, 7);
  expect(analysisIdSchema.safeParse(id).success).toBe(true);
  expect(analysisIdSchema.safeParse(newAnalysisId()).success).toBe(true);
  expect(analysisIdSchema.safeParse(`${newAnalysisId()}-p0`).success).toBe(false);
  expect(analysisIdSchema.safeParse(`${newAnalysisId()}-x1`).success).toBe(false);
  expect(parseChartPath(`/charts/${id}.svg`)).toEqual({ analysisId: id, format: 'svg' });
});
