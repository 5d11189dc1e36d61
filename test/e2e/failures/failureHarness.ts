/** What the failure end-to-end suites share: a private redis-server, worker processes against local stubs, and readers for job state. */
import { createJobQueue, ensureConsumerGroup } from '../../../storage/jobQueue.js';
import { type JobRecord } from '../../../storage/jobRecord.js';
import { createKeys } from '../../../storage/keys.js';
import { type JobAttempt, readJobHistory } from '../../../storage/jobAttempts.js';
import { type CandelaProcess, eventually, startCandela, stopCandela } from '../../support/candelaProcess.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

export const keys = createKeys();

export interface Harness {
  redis: TestRedis;
  processes: CandelaProcess[];
}

export async function startHarness(): Promise<Harness> {
  const redis = await startRedis();
  await ensureConsumerGroup(redis.client, keys);
  return { redis, processes: [] };
}

export async function stopHarness(harness: Harness): Promise<void> {
  await stopCandela(harness.processes, 'SIGKILL');
  await harness.redis.stop();
}

/** Short timings, so every failure path plays out in seconds. */
export function workerEnv(
  harness: Harness,
  binanceUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    REDIS_URL: harness.redis.url,
    MARKET_DATA_PROVIDER: 'binance',
    BINANCE_BASE_URL: binanceUrl,
    DATA_DIR: `/tmp/candela-failures-${process.pid}`,
    ANALYSIS_WORKER_CONCURRENCY: '1',
    ANALYSIS_WORKER_BATCH_SIZE: '5',
    ANALYSIS_HEALTH_CHECK_INTERVAL: '1',
    ANALYSIS_METRICS_PUBLISH_INTERVAL: '1',
    ANALYSIS_RETRY_BASE_MS: '100',
    ANALYSIS_CIRCUIT_RESET_TIMEOUT: '1',
    ANALYSIS_CLAIM_TIMEOUT: '2',
    ANALYSIS_JOB_TIMEOUT: '2',
    ...extra,
  };
}

export async function startWorker(harness: Harness, env: Record<string, string>): Promise<CandelaProcess> {
  const worker = startCandela(['worker'], env);
  harness.processes.push(worker);
  await worker.waitForOutput(/worker started/);
  return worker;
}

export async function enqueue(harness: Harness, symbol: string, timeframe = '7d'): Promise<string> {
  return (
    await createJobQueue(harness.redis.client, keys).enqueue({ user_id: 'tester', symbol, interval: '1h', timeframe })
  ).analysisId;
}

export async function jobOf(harness: Harness, analysisId: string): Promise<JobRecord> {
  const job = await createJobQueue(harness.redis.client, keys).get(analysisId);
  if (!job) throw new Error(`no job ${analysisId}`);
  return job;
}

export function historyOf(harness: Harness, analysisId: string): Promise<JobAttempt[]> {
  return readJobHistory(harness.redis.client, keys, analysisId);
}

export function waitForStatus(
  harness: Harness,
  analysisId: string,
  status: JobRecord['status'],
  timeoutMs = 30_000,
): Promise<JobRecord> {
  return eventually(
    async () => {
      const job = await jobOf(harness, analysisId);
      return job.status === status ? job : undefined;
    },
    timeoutMs,
    `${analysisId} to be ${status}`,
  );
}

export interface ProgressRecord {
  status: string;
  stage: string;
  message: string;
  at: number;
}

export async function eventsOf(harness: Harness, analysisId: string): Promise<ProgressRecord[]> {
  return (await harness.redis.client.xrange(keys.progress(analysisId), '-', '+')).map(
    ([, fields]) => JSON.parse(fields[1]!) as ProgressRecord,
  );
}

export const terminalEvents = async (harness: Harness, analysisId: string) =>
  (await eventsOf(harness, analysisId)).filter((event) => event.stage === 'finished');

/** A worker's structured log lines (pino JSON on stderr). */
export function logLines(worker: CandelaProcess): { msg: string; time: number; [field: string]: unknown }[] {
  return worker
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string; time: number });
}
