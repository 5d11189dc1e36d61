/** A worker started with another partition count than the queue's, while jobs wait, refuses to start and says why. */
import { jest } from '@jest/globals';
import { createJobQueue, ensureConsumerGroups } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { checkPartitionCount } from '../../../storage/partitionCount.js';
import { startCandela } from '../../support/candelaProcess.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

jest.setTimeout(90_000);

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

test('ANALYSIS_QUEUE_PARTITIONS=3 on a queue of one partition with a waiting job: exit 2, the variable named', async () => {
  const keys = createKeys();
  await checkPartitionCount(redis.client, keys); // as the API node that queued the job did
  await ensureConsumerGroups(redis.client, keys);
  await createJobQueue(redis.client, keys).enqueue({
    user_id: 'zoe',
    symbol: 'BTCUSDT',
    interval: '1h',
    timeframe: '7d',
  });
  const worker = startCandela(['worker'], {
    REDIS_URL: redis.url,
    MARKET_DATA_PROVIDER: 'synthetic',
    DATA_DIR: `/tmp/candela-partition-refusal-${process.pid}`,
    ANALYSIS_QUEUE_PARTITIONS: '3',
  });
  expect(await worker.exited).toBe(2);
  expect(worker.output()).toMatch(/ANALYSIS_QUEUE_PARTITIONS=3 refused.*partition 0: 1 waiting.*Drain it first/s);
  expect(await redis.client.get(keys.partitionCount())).toBe('1');
  expect(await redis.client.exists(keys.forPartition(1).stream)).toBe(0);
});
