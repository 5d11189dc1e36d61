/** The worker's periods and timeouts, derived from its configuration in one place. */
import { loadConfig } from '../../../config/env.js';
import { workerTimings } from '../../../config/workerTimings.js';

test('the defaults: claims refreshed five times per claim timeout, swept twice; keys outlive two missed writes', () => {
  expect(workerTimings(loadConfig({}))).toMatchObject({
    claimTimeoutMs: 60_000,
    claimRefreshMs: 12_000,
    reclaimIntervalMs: 30_000,
    retryPollMs: 250,
    heartbeatMs: 30_000,
    registrationTtlSeconds: 90,
    metricsMs: 60_000,
    metricsTtlSeconds: 180,
    jobTimeoutMs: 120_000,
    shutdownGraceMs: 30_000,
    circuitResetMs: 60_000,
  });
});

test('short settings keep their floors: no period below 100 ms for claims, 20 ms for retries, a TTL of at least a second', () => {
  const timings = workerTimings(
    loadConfig({ ANALYSIS_CLAIM_TIMEOUT: '0.1', ANALYSIS_RETRY_BASE_MS: '10', ANALYSIS_HEALTH_CHECK_INTERVAL: '0.1' }),
  );
  expect(timings).toMatchObject({
    claimRefreshMs: 100,
    reclaimIntervalMs: 100,
    retryPollMs: 20,
    registrationTtlSeconds: 1,
  });
  expect(timings.claimRefreshMs).toBeLessThanOrEqual(timings.claimTimeoutMs);
});
