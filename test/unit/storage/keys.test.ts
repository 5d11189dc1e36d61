import { createKeys } from '../../../storage/keys.js';

test('the contract key names, with the stream hash tag on everything a script touches', () => {
  const keys = createKeys();
  expect(keys.stream).toBe('market-analysis-jobs');
  expect(keys.group).toBe('analysis-workers');
  for (const key of [
    keys.job('a'),
    keys.progress('a'),
    keys.userJobs('u'),
    keys.idempotency('u', 'k'),
    keys.retrySchedule(),
    keys.deadLetters(),
  ]) {
    expect(key.startsWith('{market-analysis-jobs}:')).toBe(true);
  }
  expect(keys.workerMetrics('worker-host-42')).toBe('worker_metrics:analysis-workers:worker-host-42');
  expect(keys.workerHeartbeat('worker-host-42')).toBe('workers:analysis-workers:worker-host-42');
});
