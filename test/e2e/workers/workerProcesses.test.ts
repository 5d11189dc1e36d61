/**
 * Real worker processes on a real redis-server: every job completes exactly once, with two
 * workers sharing the group, and when one of them is killed with SIGKILL mid-batch.
 */
import { createJobQueue, ensureConsumerGroup } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { type CandelaProcess, eventually, startCandela, stopCandela } from '../../support/candelaProcess.js';
import { freePort, startRedis, type TestRedis } from '../../support/redisServer.js';

import { jest } from '@jest/globals';

jest.setTimeout(180_000);

const keys = createKeys();
let redis: TestRedis;
let workers: CandelaProcess[] = [];

const workerEnv = (extra: Record<string, string> = {}) => ({
  REDIS_URL: redis.url,
  MARKET_DATA_PROVIDER: 'synthetic',
  DATA_DIR: `/tmp/candela-test-${process.pid}`,
  ANALYSIS_WORKER_CONCURRENCY: '2',
  ANALYSIS_WORKER_BATCH_SIZE: '5',
  ANALYSIS_HEALTH_CHECK_INTERVAL: '1',
  ANALYSIS_METRICS_PUBLISH_INTERVAL: '1',
  ...extra,
});

beforeEach(async () => {
  redis = await startRedis();
  await ensureConsumerGroup(redis.client, keys);
});
afterEach(async () => {
  await stopCandela(workers, 'SIGKILL');
  workers = [];
  await redis.stop();
});

interface TerminalCount {
  perJob: Map<string, number>;
}

/** Counts terminal events per job from each job's progress log: exactly one per job is the invariant. */
async function terminalEvents(ids: string[]): Promise<TerminalCount> {
  const perJob = new Map<string, number>();
  for (const id of ids) {
    const events = await redis.client.xrange(keys.progress(id), '-', '+');
    const terminal = events.filter(([, fields]) =>
      ['completed', 'failed', 'cancelled'].includes((JSON.parse(fields[1]!) as { status: string }).status),
    );
    perJob.set(id, terminal.length);
  }
  return { perJob };
}

async function enqueueMany(count: number, timeframe: string, interval = '1h'): Promise<string[]> {
  const queue = createJobQueue(redis.client, keys);
  const symbols = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'];
  const results = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      queue.enqueue({ user_id: `user${index % 7}`, symbol: symbols[index % symbols.length]!, interval, timeframe }),
    ),
  );
  return results.map((result) => result.analysisId);
}

async function statuses(ids: string[]): Promise<string[]> {
  const pipeline = redis.client.pipeline();
  for (const id of ids) pipeline.hget(keys.job(id), 'status');
  return ((await pipeline.exec()) ?? []).map(([, status]) => String(status));
}

const allCompleted = (ids: string[]) => async () =>
  (await statuses(ids)).every((status) => status === 'completed') ? true : undefined;

test('200 jobs over two worker processes: each completed exactly once, nothing left pending', async () => {
  const ids = await enqueueMany(200, '2d');
  workers = [startCandela(['worker'], workerEnv()), startCandela(['worker'], workerEnv())];
  await eventually(allCompleted(ids), 120_000, 'all 200 jobs completed');

  const { perJob } = await terminalEvents(ids);
  expect([...perJob.values()].every((count) => count === 1)).toBe(true);
  const group = (await redis.client.xpending(keys.stream, keys.group)) as [number, ...unknown[]];
  expect(group[0]).toBe(0);
  // Both processes report their metrics, and together they processed each job once.
  const processedBy = await eventually(
    async () => {
      const counts = await Promise.all(
        (await redis.client.keys('worker_metrics:analysis-workers:*')).map(async (key) =>
          Number(await redis.client.hget(key, 'analyses_processed')),
        ),
      );
      return counts.length === 2 && counts.reduce((sum, count) => sum + count, 0) === 200 ? counts : undefined;
    },
    10_000,
    'metrics of both workers to add up to 200',
  );
  expect(processedBy).toHaveLength(2);
});

test('a worker killed with SIGKILL while it holds jobs: another finishes them, none twice', async () => {
  // 1m over 7d is 10,080 candles a job: slow enough that the first worker holds a batch when it dies.
  const ids = await enqueueMany(30, '7d', '1m');
  const env = workerEnv({ ANALYSIS_CLAIM_TIMEOUT: '2' });
  const doomed = startCandela(['worker'], env);
  workers = [doomed];
  await eventually(
    async () => ((await statuses(ids)).some((status) => status === 'completed') ? true : undefined),
    60_000,
    'a first completion',
  );
  const heldWhenKilled = (await statuses(ids)).filter((status) => status === 'processing').length;
  doomed.kill('SIGKILL');
  expect(await doomed.exited).toBe('SIGKILL');
  expect(heldWhenKilled).toBeGreaterThan(0);

  workers.push(startCandela(['worker'], env));
  await eventually(allCompleted(ids), 150_000, 'all jobs completed after the kill');

  const { perJob } = await terminalEvents(ids);
  expect([...perJob.entries()].filter(([, count]) => count !== 1)).toEqual([]);
  const takeovers = await Promise.all(ids.map((id) => redis.client.hget(keys.job(id), 'takeovers')));
  expect(takeovers.filter((count) => Number(count) > 0).length).toBeGreaterThan(0);
  const pending = (await redis.client.xpending(keys.stream, keys.group)) as [number, ...unknown[]];
  expect(pending[0]).toBe(0);
});

test('SIGTERM lets in-flight jobs finish, deregisters the worker and exits 0', async () => {
  const ids = await enqueueMany(6, '7d', '1m');
  const worker = startCandela(
    ['worker'],
    workerEnv({ ANALYSIS_WORKER_CONCURRENCY: '1', ANALYSIS_WORKER_BATCH_SIZE: '3' }),
  );
  workers = [worker];
  await eventually(
    async () => ((await statuses(ids)).some((status) => status === 'processing') ? true : undefined),
    30_000,
    'a job in flight',
  );
  worker.kill('SIGTERM');
  expect(await worker.exited).toBe(0);

  const after = await statuses(ids);
  expect(after.filter((status) => status === 'processing')).toEqual([]);
  expect(after.filter((status) => status === 'completed').length).toBeGreaterThan(0);
  expect(await redis.client.keys('workers:analysis-workers:*')).toEqual([]);
});

test('SIGTERM while Redis is down still stops the worker, with exit 0', async () => {
  const worker = startCandela(['worker'], workerEnv({ ANALYSIS_SHUTDOWN_GRACE: '1' }));
  workers = [worker];
  await worker.waitForOutput(/worker started/);
  await redis.stop();
  await worker.waitForOutput(/redis unreachable/);
  worker.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
  expect(worker.output()).toMatch(/worker stopped/);
});

test('the consumer group is recreated when the stream disappears under a running worker', async () => {
  const worker = startCandela(['worker'], workerEnv());
  workers = [worker];
  await worker.waitForOutput(/worker started/);
  await redis.client.del(keys.stream);
  const [id] = await enqueueMany(1, '1d');
  await eventually(
    async () => ((await statuses([id!]))[0] === 'completed' ? true : undefined),
    30_000,
    'the job queued after the stream was deleted to complete',
  );
});

test('METRICS_PORT serves Prometheus metrics of the worker', async () => {
  const port = await freePort();
  const worker = startCandela(['worker'], workerEnv({ METRICS_PORT: String(port) }));
  workers = [worker];
  await worker.waitForOutput(/worker started/);
  const ids = await enqueueMany(3, '1d');
  await eventually(allCompleted(ids), 30_000, 'three jobs completed');
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  expect(text).toMatch(/^candela_worker_analyses_processed 3$/m);
  expect(text).toMatch(/^candela_worker_circuit_state\{dependency="market-data"\} 0$/m);
  expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
});

test('a bad configuration value stops the process with a message naming the variable', async () => {
  const worker = startCandela(['worker'], workerEnv({ ANALYSIS_WORKER_BATCH_SIZE: 'lots' }));
  expect(await worker.exited).toBe(2);
  expect(worker.output()).toMatch(/ANALYSIS_WORKER_BATCH_SIZE/);
  const provider = startCandela(['worker'], workerEnv({ MARKET_DATA_PROVIDER: 'yahoo' }));
  expect(await provider.exited).toBe(2);
  expect(provider.output()).toMatch(/MARKET_DATA_PROVIDER.*binance.*file.*synthetic/s);
});

test('workers trim acknowledged entries, so the stream does not grow with every job ever queued', async () => {
  const ids = await enqueueMany(20, '1d');
  workers = [startCandela(['worker'], workerEnv({ ANALYSIS_CLAIM_TIMEOUT: '1' }))];
  await eventually(allCompleted(ids), 30_000, 'all 20 jobs completed');
  await eventually(
    async () => ((await redis.client.xlen(keys.stream)) === 0 ? true : undefined),
    10_000,
    'the stream to be trimmed',
  );
  const more = await enqueueMany(3, '1d');
  await eventually(allCompleted(more), 30_000, 'jobs queued after the trim to complete');
});
