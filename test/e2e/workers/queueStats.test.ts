/** queue.stats over the typed client tells the truth: stream length, delivered-but-unacked, undelivered, live consumers. */
import { jest } from '@jest/globals';
import { signToken } from '../../../router/auth.js';
import { type CandelaClient, createClient } from '../../../router/client.js';
import { createConsumerQueue } from '../../../storage/consumerQueue.js';
import { createJobQueue, ensureConsumerGroup } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { type CandelaProcess, eventually, startCandela, stopCandela } from '../../support/candelaProcess.js';
import { freePort, startRedis, type TestRedis } from '../../support/redisServer.js';

jest.setTimeout(60_000);

const keys = createKeys();
const SECRET = 'queue-stats-test-secret-0123';
let redis: TestRedis;
let processes: CandelaProcess[] = [];
let client: CandelaClient;
let env: Record<string, string>;

beforeAll(async () => {
  redis = await startRedis();
  await ensureConsumerGroup(redis.client, keys);
  env = {
    REDIS_URL: redis.url,
    AUTH_SECRET: SECRET,
    PORT: String(await freePort()),
    MARKET_DATA_PROVIDER: 'synthetic',
    DATA_DIR: `/tmp/candela-stats-${process.pid}`,
    ANALYSIS_WORKER_CONCURRENCY: '2',
  };
  const api = startCandela(['api'], env);
  processes = [api];
  await api.waitForOutput(/api listening/);
  client = createClient({ url: `http://127.0.0.1:${env.PORT}`, token: await signToken(SECRET, 'dora') });
});
afterAll(async () => {
  client.close();
  await stopCandela(processes);
  await redis.stop();
});

test('figures follow the queue through reads, a live worker and its exit', async () => {
  const queue = createJobQueue(redis.client, keys);
  await Promise.all(
    Array.from({ length: 5 }, (_, index) =>
      queue.enqueue({ user_id: 'dora', symbol: `SYM${index}`, interval: '1h', timeframe: '1d' }),
    ),
  );
  expect(await client.api.queue.stats.query()).toMatchObject({
    stream_name: 'market-analysis-jobs',
    total_jobs_in_stream: 5,
    pending_jobs: 0,
    waiting_jobs: 5,
    active_consumers: 0,
  });

  // A consumer that reads two entries and then goes silent: delivered, not acknowledged, not live.
  const blocking = redis.client.duplicate();
  await createConsumerQueue(redis.client, keys).readNew(blocking, 'silent-consumer', 2, 100);
  blocking.disconnect();
  expect(await client.api.queue.stats.query()).toMatchObject({
    total_jobs_in_stream: 5,
    pending_jobs: 2,
    waiting_jobs: 3,
    active_consumers: 0,
  });

  const worker = startCandela(['worker'], env);
  processes.push(worker);
  const withWorker = await eventually(
    async () => {
      const stats = await client.api.queue.stats.query();
      return stats.waiting_jobs === 0 && stats.pending_jobs === 2 && stats.active_consumers === 2 ? stats : undefined;
    },
    30_000,
    'the worker to take the three waiting jobs and show two live consumers',
  );
  // Workers trim acknowledged entries on their reclaim sweep, so the figure is the stream's length now.
  expect(withWorker.total_jobs_in_stream).toBe(await redis.client.xlen(keys.stream));
  expect(withWorker.total_jobs_in_stream).toBeGreaterThanOrEqual(2);
  expect(Date.parse(withWorker.timestamp)).toBeGreaterThan(Date.now() - 60_000);

  worker.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
  expect(await client.api.queue.stats.query()).toMatchObject({ pending_jobs: 2, waiting_jobs: 0, active_consumers: 0 });
});
