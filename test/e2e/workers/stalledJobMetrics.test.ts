/**
 * Stalled-job visibility with real processes: a job held by a consumer that went silent is
 * reclaimed (with a `reclaimed` progress event), a poison entry is dead-lettered, a plain job
 * completes, and the worker's /metrics (Prometheus text, parsed strictly), its registration
 * (workers.list) and the API's /metrics all count it.
 */
import { jest } from '@jest/globals';
import { createConsumerQueue } from '../../../storage/consumerQueue.js';
import { createJobQueue, ensureConsumerGroup } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { listWorkers } from '../../../storage/workerRegistry.js';
import { type CandelaProcess, eventually, startCandela, stopCandela } from '../../support/candelaProcess.js';
import { parsePrometheusText } from '../../support/prometheusText.js';
import { freePort, startRedis, type TestRedis } from '../../support/redisServer.js';

jest.setTimeout(120_000);

const keys = createKeys();
const SILENT = 'worker-gone-1-c0';
let redis: TestRedis;
let processes: CandelaProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  await ensureConsumerGroup(redis.client, keys);
});
afterAll(async () => {
  await stopCandela(processes, 'SIGKILL');
  await redis.stop();
});

const scrape = async (url: string) => parsePrometheusText(await (await fetch(url)).text());

test('reclaims, takeovers, poison messages, queue wait and durations are counted where operators look', async () => {
  const producer = createJobQueue(redis.client, keys);
  const request = { user_id: 'ops', symbol: 'BTCUSDT', interval: '1h', timeframe: '1d' };
  const stalled = (await producer.enqueue(request)).analysisId;
  const poison = (await producer.enqueue(request)).analysisId;
  // A consumer reads both and goes silent: one job it had started, the other it never claimed
  // and that had already lost two runs to dead workers before this one.
  const silent = createConsumerQueue(redis.client, keys);
  const reader = redis.client.duplicate();
  const entries = await silent.readNew(reader, SILENT, 10, 100);
  reader.disconnect();
  const stalledEntry = entries.find((entry) => entry.analysisId === stalled)!;
  const poisonEntry = entries.find((entry) => entry.analysisId === poison)!;
  await silent.claimBatch([stalledEntry, poisonEntry], (entry) => `${SILENT}:${entry.analysisId}`, SILENT);
  // The run ledger's record of two earlier runs whose workers died (owner tokens in doubt):
  // this third takeover reaches ANALYSIS_MAX_DELIVERIES=3.
  await redis.client.hset(keys.job(poison), 'doubted_runs', 'dead-a-c0:1 dead-b-c0:2');

  const metricsPort = await freePort();
  const apiPort = await freePort();
  const env = {
    REDIS_URL: redis.url,
    AUTH_SECRET: 'stalled-job-metrics-secret',
    MARKET_DATA_PROVIDER: 'synthetic',
    DATA_DIR: `/tmp/candela-stalled-${process.pid}`,
    ANALYSIS_WORKER_CONCURRENCY: '1',
    ANALYSIS_HEALTH_CHECK_INTERVAL: '1',
    ANALYSIS_METRICS_PUBLISH_INTERVAL: '1',
    ANALYSIS_CLAIM_TIMEOUT: '3',
    ANALYSIS_MAX_DELIVERIES: '3',
  };
  const worker = startCandela(['worker'], { ...env, METRICS_PORT: String(metricsPort) });
  const api = startCandela(['api'], { ...env, PORT: String(apiPort) });
  processes = [worker, api];
  await Promise.all([worker.waitForOutput(/worker started/), api.waitForOutput(/api listening/)]);
  const workerMetrics = `http://127.0.0.1:${metricsPort}/metrics`;

  const before = await scrape(workerMetrics);
  expect(before.types.get('candela_job_reclaims_total')).toBe('counter');
  expect(before.types.get('candela_queue_wait_seconds')).toBe('histogram');
  // The reclaim may already have happened (the entries went idle before the worker started); the plain job is not queued yet.
  expect(before.value('candela_queue_wait_seconds_count')).toBe(0);

  const plain = (await producer.enqueue(request)).analysisId;
  const statusOf = async (id: string) => (await producer.get(id))?.status;
  await eventually(async () => ((await statusOf(plain)) === 'completed' ? true : undefined), 60_000, 'plain job');
  await eventually(async () => ((await statusOf(stalled)) === 'completed' ? true : undefined), 60_000, 'reclaimed job');
  await eventually(async () => ((await statusOf(poison)) === 'failed' ? true : undefined), 60_000, 'poison job');

  const events = (await redis.client.xrange(keys.progress(stalled), '-', '+')).map(
    ([, fields]) => JSON.parse(fields[1]!) as { stage: string; message: string },
  );
  expect(events.find((event) => event.stage === 'reclaimed')?.message).toMatch(
    /^reclaimed from worker worker-gone-1 after \d+ ms$/,
  );

  const after = await scrape(workerMetrics);
  // At least the two stalled entries; a reclaimed entry that waits in a busy consumer past the
  // claim timeout may be reclaimed again, and each time counts.
  const reclaims = after.value('candela_job_reclaims_total');
  const takeovers = after.value('candela_job_takeovers_total');
  expect(reclaims).toBeGreaterThanOrEqual(2);
  expect(takeovers).toBeGreaterThanOrEqual(1);
  expect(after.value('candela_poison_messages_total')).toBe(1);
  expect(after.value('candela_job_duration_seconds_count', { outcome: 'completed' })).toBe(2);
  // The taken-over job waited as long as its first owner held it: only the plain job was waiting.
  expect(after.value('candela_queue_wait_seconds_count')).toBe(1);
  expect(after.value('candela_queue_wait_seconds_bucket', { le: '+Inf' })).toBe(1);
  for (const stage of ['candles', 'patterns', 'chart', 'summary'])
    expect(after.value('candela_stage_duration_seconds_count', { stage, outcome: 'ok' })).toBe(2);

  const [listed] = await eventually(
    async () => {
      const workers = await listWorkers(redis.client, keys);
      return workers[0]?.reclaims === reclaims && workers[0].takeovers === takeovers ? workers : undefined;
    },
    30_000,
    'the registration to show the counts',
  );
  expect(listed).toMatchObject({ reclaims, poison_messages: 1, takeovers });

  const apiText = await scrape(`http://127.0.0.1:${apiPort}/metrics`);
  expect(apiText.types.get('candela_job_reclaims_total')).toBe('counter');
  expect(apiText.value('candela_job_reclaims_total', { worker: listed!.worker_id })).toBe(reclaims);
  expect(apiText.value('candela_job_takeovers_total')).toBe(takeovers);
  expect(apiText.value('candela_poison_messages_total')).toBe(1);
});
