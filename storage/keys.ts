/**
 * Every Redis key and channel Candela uses, built in one place; the names are part of the
 * public contract (operators and other nodes read them).
 * Everything a Lua script touches carries the hash tag of one queue partition: partition 0
 * is `{market-analysis-jobs}` (today's names), partition p > 0 `{market-analysis-jobs-p{p}}`,
 * so multi-key scripts also work on Redis Cluster and partitions can sit on different masters.
 *
 * A job lives in the partition of its user (a hash of the user id), and its id says which
 * (`partitionOfId`), so job and progress keys route by id and user keys by user: every key of
 * one job, its user's indexes and cap share a slot. Channels, workers, alerts and the analysis
 * cache are not per job and stay on partition 0.
 */
import { partitionOfId } from './analysisId.js';

export { partitionOfId };

export const STREAM_NAME = 'market-analysis-jobs';
export const CONSUMER_GROUP = 'analysis-workers';

export interface QueueKeys {
  /** This partition's job stream. */
  readonly stream: string;
  readonly group: string;
  /** Which partition the per-partition keys below (stream, retry, dead letters, archive, retention) belong to. */
  readonly partition: number;
  /** ANALYSIS_QUEUE_PARTITIONS: how many partitions the queue has. */
  readonly partitions: number;
  /** The keys of partition p (same partition count). */
  forPartition(partition: number): QueueKeys;
  /** The keys of the partition a job or scan id names. */
  forJob(id: string): QueueKeys;
  /** The keys of the partition a user's jobs live in. */
  forUser(userId: string): QueueKeys;
  /** Every partition's keys, partition 0 first. */
  all(): QueueKeys[];
  /** The partition a user's jobs, indexes and cap live in. */
  userPartition(userId: string): number;
  /** Where the key of a job id lives is the partition its id names. */
  job(analysisId: string): string;
  progress(analysisId: string): string;
  /** In the user's partition unless another is named (a job written before the partition count changed). */
  userJobs(userId: string, partition?: number): string;
  /** The user's queued and processing jobs, for the per-user cap (pruned lazily of terminal ones). */
  userActiveJobs(userId: string, partition?: number): string;
  idempotency(userId: string, key: string, partition?: number): string;
  /** Key of partition 0 holding the partition count the queue's data was written with. */
  partitionCount(): string;
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
  userScans(userId: string, partition?: number): string;
  /** Hash: one alert rule (criteria, webhook URL and secret). */
  alertRule(ruleId: string): string;
  /** Sorted set: the user's alert rules by creation time. */
  userAlertRules(userId: string): string;
  /** Counter, raised by every rule write: a worker's cached rules are good while it stands still. */
  alertRulesVersion(): string;
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
  /** The keys of this stream's fair admission (one admission per stream, in its hash tag). */
  readonly admission: AdmissionKeys;
  /** Hash: a schedule (the scan it runs on every candle close), its state and the last bar run per interval. */
  schedule(scheduleId: string): string;
  /** Sorted set: the scans a schedule created, scored by the close time of the bar they ran for. */
  scheduleRuns(scheduleId: string): string;
  /** Sorted set: the user's schedules by creation time. */
  userSchedules(userId: string): string;
  /** Sorted set: active schedules by when their next run is due (epoch ms), read by every worker's scheduler. */
  schedulesDue(): string;
}

/** Keys of one stream's fair admission; all in the stream's hash tag, so admitting stays one slot. */
export interface AdmissionKeys {
  /** Sorted set `analysisId:userId` of jobs waiting for admission, scored by their fair-share tag. */
  readonly queue: string;
  /** Hash: user id -> how many of their jobs wait. */
  readonly waiting: string;
  /** Hash: user id -> the tag of their last waiting job (their place in the round). */
  readonly tags: string;
  /** Hash: user id -> weight (default 1): a user of weight 2 is admitted twice as often. */
  readonly weights: string;
}

/** The admission keys of a stream, built from the stream's own hash tag. */
export function admissionKeys(stream: string): AdmissionKeys {
  const tagged = (suffix: string) => `{${stream}}:admission:${suffix}`;
  return { queue: tagged('queue'), waiting: tagged('waiting'), tags: tagged('tags'), weights: tagged('weights') };
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

/** The stream of partition p: partition 0 keeps the base name. */
export function partitionStream(stream: string, partition: number): string {
  return partition === 0 ? stream : `${stream}-p${partition}`;
}

/** FNV-1a over the UTF-16 code units: cheap, stable across processes and versions, spreads short ids well. */
export function userPartition(userId: string, partitions: number): number {
  if (partitions <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let index = 0; index < userId.length; index += 1) {
    hash ^= userId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}

export function createKeys(
  stream: string = STREAM_NAME,
  group: string = CONSUMER_GROUP,
  partitions: number = 1,
): QueueKeys {
  const cache = new Map<number, QueueKeys>();
  const forPartition = (partition: number): QueueKeys => {
    let keys = cache.get(partition);
    if (!keys) {
      keys = partitionKeys(stream, group, partition, partitions, forPartition);
      cache.set(partition, keys);
    }
    return keys;
  };
  return forPartition(0);
}

function partitionKeys(
  baseStream: string,
  group: string,
  partition: number,
  partitions: number,
  forPartition: (partition: number) => QueueKeys,
): QueueKeys {
  // Each partition's `{stream}:` prefix made once: job and progress keys are built for every job claimed and finished.
  const prefixes: string[] = [];
  const prefixOf = (p: number) => (prefixes[p] ??= `{${partitionStream(baseStream, p)}}:`);
  const tagIn = (p: number) => (suffix: string) => `${prefixOf(p)}${suffix}`;
  const tagged = tagIn(partition);
  const global = tagIn(0);
  const byId = (id: string) => tagIn(partitionOfId(id));
  const byUser = (userId: string, p?: number) => tagIn(p ?? userPartition(userId, partitions));
  return {
    stream: partitionStream(baseStream, partition),
    group,
    partition,
    partitions,
    forPartition,
    forJob: (id) => forPartition(partitionOfId(id)),
    forUser: (userId) => forPartition(userPartition(userId, partitions)),
    all: () => Array.from({ length: partitions }, (_, p) => forPartition(p)),
    userPartition: (userId) => userPartition(userId, partitions),
    job: (analysisId) => `${prefixOf(partitionOfId(analysisId))}job:${analysisId}`,
    progress: (analysisId) => `${prefixOf(partitionOfId(analysisId))}progress:${analysisId}`,
    userJobs: (userId, p) => byUser(userId, p)(`user:${keySegment(userId)}:jobs`),
    userActiveJobs: (userId, p) => byUser(userId, p)(`user:${keySegment(userId)}:active`),
    idempotency: (userId, key, p) => byUser(userId, p)(`idempotency:${keySegment(userId)}:${keySegment(key)}`),
    partitionCount: () => global('partitions'),
    retrySchedule: () => tagged('retry'),
    deadLetters: () => tagged('dead-letters'),
    deadLetterIndex: () => tagged('dead-letters:index'),
    progressChannel: () => global('progress-events'),
    cancelChannel: () => global('cancel-requests'),
    workerMetrics: (workerId) => `worker_metrics:${group}:${workerId}`,
    workerHeartbeat: (workerId) => `workers:${group}:${workerId}`,
    workerIndex: () => `live_workers:${group}`,
    archive: () => tagged('archive'),
    retentionSchedule: () => tagged('retention'),
    // A scan and its children live in its user's partition; its id names it, as a job's does.
    scan: (scanId) => byId(scanId)(`scan:${scanId}`),
    scanChildren: (scanId) => byId(scanId)(`scan:${scanId}:children`),
    scanSettled: (scanId) => byId(scanId)(`scan:${scanId}:settled`),
    userScans: (userId, p) => byUser(userId, p)(`user:${keySegment(userId)}:scans`),
    alertRule: (ruleId) => global(`alert-rule:${ruleId}`),
    userAlertRules: (userId) => global(`user:${keySegment(userId)}:alert-rules`),
    alertRulesVersion: () => global('alert-rules-version'),
    alert: (alertId) => global(`alert:${alertId}`),
    userAlerts: (userId) => global(`user:${keySegment(userId)}:alerts`),
    alertOnce: (ruleId, symbol, interval, bar) =>
      global(`alert-once:${ruleId}:${symbol}:${interval}:${keySegment(bar)}`),
    userTrends: (userId) => global(`user:${keySegment(userId)}:trends`),
    webhooksDue: () => global('webhooks-due'),
    alertChannel: () => global('alert-events'),
    analysisCacheOwner: (cacheKey) => global(`analysis-cache:${cacheKey}:owner`),
    analysisCacheResult: (cacheKey) => global(`analysis-cache:${cacheKey}:result`),
    analysisCacheStats: () => global('analysis-cache:stats'),
    admission: admissionKeys(partitionStream(baseStream, partition)),
    // Schedules live on partition 0, like alert rules: a schedule's scripts touch one slot; the scans it starts go to the user's partition.
    schedule: (scheduleId) => global(`schedule:${scheduleId}`),
    scheduleRuns: (scheduleId) => global(`schedule:${scheduleId}:runs`),
    userSchedules: (userId) => global(`user:${keySegment(userId)}:schedules`),
    schedulesDue: () => global('schedules-due'),
  };
}
