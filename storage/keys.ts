/**
 * Every Redis key and channel Candela uses, built in one place; the names are part of the
 * public contract (operators and other nodes read them).
 * Everything a Lua script touches carries the stream's hash tag `{market-analysis-jobs}`,
 * so multi-key scripts also work on Redis Cluster.
 */
export const STREAM_NAME = 'market-analysis-jobs';
export const CONSUMER_GROUP = 'analysis-workers';

export interface QueueKeys {
  readonly stream: string;
  readonly group: string;
  job(analysisId: string): string;
  progress(analysisId: string): string;
  userJobs(userId: string): string;
  /** The user's queued and processing jobs, for the per-user cap (pruned lazily of terminal ones). */
  userActiveJobs(userId: string): string;
  idempotency(userId: string, key: string): string;
  retrySchedule(): string;
  deadLetters(): string;
  /** Hash: analysis id -> its letter's entry id on the dead-letter stream. */
  deadLetterIndex(): string;
  /** One pub/sub channel for live progress; API nodes filter by job. */
  progressChannel(): string;
  /** Cancel requests for running jobs, heard by whichever worker owns the job. */
  cancelChannel(): string;
  workerMetrics(workerId: string): string;
  workerHeartbeat(workerId: string): string;
  /** Sorted set of live worker ids, scored by when their registration expires (epoch ms). */
  workerIndex(): string;
  /** Outbox stream of terminal job ids waiting to be archived into MongoDB (consumer group ARCHIVE_GROUP). */
  archive(): string;
  /** Sorted set `analysisId:userId` scored by when the job's record expires (epoch ms): what to drop from user indexes. */
  retentionSchedule(): string;
  /** Hash: a scan's request, status and child counts (`status` read by the active-job prune like a job's). */
  scan(scanId: string): string;
  /** List: a scan's child analysis ids, in request order. */
  scanChildren(scanId: string): string;
  /** Set: the children whose terminal status the scan has already counted (each once). */
  scanSettled(scanId: string): string;
  /** Sorted set: the user's scans by creation time. */
  userScans(userId: string): string;
  /** Hash: one alert rule (criteria, webhook URL and secret). */
  alertRule(ruleId: string): string;
  /** Sorted set: the user's alert rules by creation time. */
  userAlertRules(userId: string): string;
  /** Hash: one alert (what matched, and its webhook delivery state). */
  alert(alertId: string): string;
  /** Stream: the user's alert log (alert ids), which alerts.subscribe resumes from. */
  userAlerts(userId: string): string;
  /** String, set NX with a TTL: the alert of a rule x symbol x interval x bar, so it fires once. */
  alertOnce(ruleId: string, symbol: string, interval: string, bar: string): string;
  /** Hash: the user's last trend per `symbol:interval`, for trend-change rules. */
  userTrends(userId: string): string;
  /** Sorted set: alerts whose webhook is due (epoch ms), shared by every worker. */
  webhooksDue(): string;
  /** Pub/sub: `{ user_id, event_id }` for each new alert. */
  alertChannel(): string;
  /** String with a TTL: the job computing one shared analysis (data source, symbol, interval, timeframe, bar, version). */
  analysisCacheOwner(cacheKey: string): string;
  /** String with a TTL to the bar's end: the shared result (JSON), for every identical job of the bar. */
  analysisCacheResult(cacheKey: string): string;
  /** Hash: `hits` and `misses` of the shared analysis cache, over every worker. */
  analysisCacheStats(): string;
  /** Hash: a schedule (the scan it runs on every candle close), its state and the last bar run per interval. */
  schedule(scheduleId: string): string;
  /** Sorted set: the scans a schedule created, scored by the close time of the bar they ran for. */
  scheduleRuns(scheduleId: string): string;
  /** Sorted set: the user's schedules by creation time. */
  userSchedules(userId: string): string;
  /** Sorted set: active schedules by when their next run is due (epoch ms), read by every worker's scheduler. */
  schedulesDue(): string;
}

/** The archivers' consumer group on the archive stream. */
export const ARCHIVE_GROUP = 'archivers';

/**
 * A user id or idempotency key as one key segment: `%` and `:` are percent-encoded, so the
 * segments of a key split back unambiguously (user `alice` with key `x:y` and user `alice:x`
 * with key `y` get different keys). Ids without those characters are unchanged.
 */
export function keySegment(text: string): string {
  return text.replace(/[%:]/g, (char) => (char === '%' ? '%25' : '%3A'));
}

export function createKeys(stream: string = STREAM_NAME, group: string = CONSUMER_GROUP): QueueKeys {
  const tagged = (suffix: string) => `{${stream}}:${suffix}`;
  return {
    stream,
    group,
    job: (analysisId) => tagged(`job:${analysisId}`),
    progress: (analysisId) => tagged(`progress:${analysisId}`),
    userJobs: (userId) => tagged(`user:${keySegment(userId)}:jobs`),
    userActiveJobs: (userId) => tagged(`user:${keySegment(userId)}:active`),
    idempotency: (userId, key) => tagged(`idempotency:${keySegment(userId)}:${keySegment(key)}`),
    retrySchedule: () => tagged('retry'),
    deadLetters: () => tagged('dead-letters'),
    deadLetterIndex: () => tagged('dead-letters:index'),
    progressChannel: () => tagged('progress-events'),
    cancelChannel: () => tagged('cancel-requests'),
    workerMetrics: (workerId) => `worker_metrics:${group}:${workerId}`,
    workerHeartbeat: (workerId) => `workers:${group}:${workerId}`,
    workerIndex: () => `live_workers:${group}`,
    archive: () => tagged('archive'),
    retentionSchedule: () => tagged('retention'),
    scan: (scanId) => tagged(`scan:${scanId}`),
    scanChildren: (scanId) => tagged(`scan:${scanId}:children`),
    scanSettled: (scanId) => tagged(`scan:${scanId}:settled`),
    userScans: (userId) => tagged(`user:${keySegment(userId)}:scans`),
    alertRule: (ruleId) => tagged(`alert-rule:${ruleId}`),
    userAlertRules: (userId) => tagged(`user:${keySegment(userId)}:alert-rules`),
    alert: (alertId) => tagged(`alert:${alertId}`),
    userAlerts: (userId) => tagged(`user:${keySegment(userId)}:alerts`),
    alertOnce: (ruleId, symbol, interval, bar) =>
      tagged(`alert-once:${ruleId}:${symbol}:${interval}:${keySegment(bar)}`),
    userTrends: (userId) => tagged(`user:${keySegment(userId)}:trends`),
    webhooksDue: () => tagged('webhooks-due'),
    alertChannel: () => tagged('alert-events'),
    analysisCacheOwner: (cacheKey) => tagged(`analysis-cache:${cacheKey}:owner`),
    analysisCacheResult: (cacheKey) => tagged(`analysis-cache:${cacheKey}:result`),
    analysisCacheStats: () => tagged('analysis-cache:stats'),
    schedule: (scheduleId) => tagged(`schedule:${scheduleId}`),
    scheduleRuns: (scheduleId) => tagged(`schedule:${scheduleId}:runs`),
    userSchedules: (userId) => tagged(`user:${keySegment(userId)}:schedules`),
    schedulesDue: () => tagged('schedules-due'),
  };
}
