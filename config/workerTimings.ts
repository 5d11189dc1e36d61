/**
 * Every period and timeout of a worker process, derived in one place from its configuration,
 * so the relations between them (refresh well inside the claim timeout, a registration that
 * outlives a missed beat) are stated once and tested.
 */
import type { Config } from './env.js';

export interface WorkerTimings {
  /** A job entry idle this long in a consumer's pending list is taken over by another consumer (ANALYSIS_CLAIM_TIMEOUT). */
  claimTimeoutMs: number;
  /** How often a consumer refreshes its jobs' claims: five times per claim timeout, so a stall of most of a timeout does not lose a job. */
  claimRefreshMs: number;
  /** How long one XREADGROUP blocks: a drain waits at most this long for a read under way. */
  readBlockMs: number;
  /** How often the reclaimer looks for idle entries: twice per claim timeout. */
  reclaimIntervalMs: number;
  /** A reclaim sweep unanswered this long is given up (Redis unreachable), so the next one can start. */
  reclaimSweepTimeoutMs: number;
  /** How often due retries are moved back onto the stream: a quarter of the retry base, between 20 ms and 1 s. */
  retryPollMs: number;
  retryMoveTimeoutMs: number;
  /** Heartbeat period, and how long a registration lives without one: three periods. */
  heartbeatMs: number;
  registrationTtlSeconds: number;
  /** Metrics publishing period, and its hash's lifetime: three periods. */
  metricsMs: number;
  metricsTtlSeconds: number;
  jobTimeoutMs: number;
  shutdownGraceMs: number;
  circuitResetMs: number;
  retryBaseMs: number;
}

type TimingConfig = Pick<
  Config,
  | 'ANALYSIS_CLAIM_TIMEOUT'
  | 'ANALYSIS_RETRY_BASE_MS'
  | 'ANALYSIS_HEALTH_CHECK_INTERVAL'
  | 'ANALYSIS_METRICS_PUBLISH_INTERVAL'
  | 'ANALYSIS_JOB_TIMEOUT'
  | 'ANALYSIS_SHUTDOWN_GRACE'
  | 'ANALYSIS_CIRCUIT_RESET_TIMEOUT'
>;

/** A key written every `periodMs` expires after three periods: two missed writes are tolerated. */
const threePeriodsInSeconds = (periodMs: number) => Math.max(1, Math.ceil((3 * periodMs) / 1000));

export function workerTimings(config: TimingConfig): WorkerTimings {
  const claimTimeoutMs = config.ANALYSIS_CLAIM_TIMEOUT * 1000;
  const heartbeatMs = config.ANALYSIS_HEALTH_CHECK_INTERVAL * 1000;
  const metricsMs = config.ANALYSIS_METRICS_PUBLISH_INTERVAL * 1000;
  return {
    claimTimeoutMs,
    claimRefreshMs: Math.max(100, Math.floor(claimTimeoutMs / 5)),
    readBlockMs: 1000,
    reclaimIntervalMs: Math.max(100, Math.floor(claimTimeoutMs / 2)),
    reclaimSweepTimeoutMs: claimTimeoutMs,
    retryPollMs: Math.min(1000, Math.max(20, Math.floor(config.ANALYSIS_RETRY_BASE_MS / 4))),
    retryMoveTimeoutMs: 10_000,
    heartbeatMs,
    registrationTtlSeconds: threePeriodsInSeconds(heartbeatMs),
    metricsMs,
    metricsTtlSeconds: threePeriodsInSeconds(metricsMs),
    jobTimeoutMs: config.ANALYSIS_JOB_TIMEOUT * 1000,
    shutdownGraceMs: config.ANALYSIS_SHUTDOWN_GRACE * 1000,
    circuitResetMs: config.ANALYSIS_CIRCUIT_RESET_TIMEOUT * 1000,
    retryBaseMs: config.ANALYSIS_RETRY_BASE_MS,
  };
}
