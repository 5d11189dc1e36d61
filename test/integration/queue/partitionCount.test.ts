/** The partition count is recorded in partition 0; another count is refused while any partition holds work. */
import { createConsumerQueue } from '../../../storage/consumerQueue.js';
import { createJobQueue, ensureConsumerGroups } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { checkPartitionCount, PartitionCountRefused } from '../../../storage/partitionCount.js';
import { progressEvent } from '../../../storage/progressEvent.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

const one = createKeys();
const three = createKeys(undefined, undefined, 3);

test('a queue with jobs of one partition refuses three until drained, then records three', async () => {
  await checkPartitionCount(redis.client, one);
  expect(await redis.client.get('{market-analysis-jobs}:partitions')).toBe('1');
  await ensureConsumerGroups(redis.client, one);
  const { analysisId } = await createJobQueue(redis.client, one).enqueue({
    user_id: 'alice',
    symbol: 'BTCUSDT',
    interval: '1h',
    timeframe: '7d',
  });

  const refusal = await checkPartitionCount(redis.client, three).catch((error: unknown) => error);
  expect(refusal).toBeInstanceOf(PartitionCountRefused);
  expect(String(refusal)).toMatch(/ANALYSIS_QUEUE_PARTITIONS=3 refused.*1 partition.*partition 0: 1 waiting/);
  expect(await redis.client.get('{market-analysis-jobs}:partitions')).toBe('1');

  // Running (pending) work refuses as well.
  const workers = createConsumerQueue(redis.client, one);
  const blocking = redis.client.duplicate();
  try {
    const [entry] = await workers.readNew(blocking, 'drainer', 10, 100);
    const { claimed } = await workers.claimBatch([entry!], () => 'token', 'drainer');
    await expect(checkPartitionCount(redis.client, three)).rejects.toThrow(/partition 0: 0 waiting, 1 pending/);
    await workers.finishWithStatus([
      {
        analysisId,
        entryId: claimed[0]!.entryId,
        ownerToken: 'token',
        status: 'completed',
        result: {},
        event: progressEvent('completed', 'finished', 1, 'done'),
      },
    ]);
  } finally {
    blocking.disconnect();
  }

  // Drained: the new count is accepted and recorded; the old one is now the one refused while work waits.
  await checkPartitionCount(redis.client, three);
  expect(await redis.client.get('{market-analysis-jobs}:partitions')).toBe('3');
  await ensureConsumerGroups(redis.client, three);
  const user = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5'].find((id) => three.userPartition(id) === 2)!;
  await createJobQueue(redis.client, three).enqueue({
    user_id: user,
    symbol: 'ETHUSDT',
    interval: '1h',
    timeframe: '7d',
  });
  await expect(checkPartitionCount(redis.client, one)).rejects.toThrow(
    /=1 refused.*3 partition.*partition 2: 1 waiting/,
  );
  // The old job is still found by its id.
  expect(await createJobQueue(redis.client, three).get(analysisId)).toMatchObject({ status: 'completed' });
});
