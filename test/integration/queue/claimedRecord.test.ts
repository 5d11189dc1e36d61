/**
 * The record a claim hands the worker is the job's record as the claim left it in Redis (its
 * reply carries the fields' values without their names, with the claim's own writes put in):
 * for a queued job claimed, and for a running job taken over by another consumer.
 */
import { createConsumerQueue } from '../../../storage/consumerQueue.js';
import { createJobQueue } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { useQueueRedis } from '../../support/redisServer.js';

const keys = createKeys();
const redis = useQueueRedis(keys);

test('a claimed and a taken-over job come with their records as stored', async () => {
  const producer = createJobQueue(redis.client, keys);
  const workers = createConsumerQueue(redis.client, keys);
  const { analysisId } = await producer.enqueue({
    user_id: 'alice',
    symbol: 'ETHUSDT',
    interval: '4h',
    timeframe: '30d',
  });
  await redis.client.hset(keys.job(analysisId), 'updated_at', '1000');
  const blocking = redis.client.duplicate();
  try {
    const entries = await workers.readNew(blocking, 'worker-a-c0', 10, 100);
    const claimed = (await workers.claimBatch(entries, () => 'worker-a-c0:1', 'worker-a-c0')).claimed[0]!;
    const stored = await producer.get(analysisId);
    expect(stored).toMatchObject({ status: 'processing', symbol: 'ETHUSDT', interval: '4h', timeframe: '30d' });
    expect(stored?.updated_at).not.toBe(new Date(1000).toISOString());
    expect(claimed.record).toEqual(stored);

    const { entries: orphaned } = await workers.takeOverIdle('worker-b-c0', 0, 10, '0-0');
    const takenOver = (await workers.claimBatch(orphaned, () => 'worker-b-c0:1', 'worker-b-c0')).claimed[0]!;
    expect(takenOver.takenOver).toBe(true);
    expect(takenOver.record).toEqual(await producer.get(analysisId));
  } finally {
    blocking.disconnect();
  }
});

test('values with commas, newlines, NUL bytes and multi-byte text come through a claim intact', async () => {
  const producer = createJobQueue(redis.client, keys);
  const workers = createConsumerQueue(redis.client, keys);
  const { analysisId } = await producer.enqueue({ user_id: 'bob', symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' });
  // As a retried job carries its last attempt's error into the next claim.
  const error = 'upstream said:\n"1,2,3"\u0000 then -1,\n — naïve 価格 ✓';
  await redis.client.hset(keys.job(analysisId), 'error', error, 'scan_id', 'scan_01ODD');
  const blocking = redis.client.duplicate();
  try {
    const entries = await workers.readNew(blocking, 'worker-c-c0', 10, 100);
    const claimed = (await workers.claimBatch(entries, () => 'worker-c-c0:1', 'worker-c-c0')).claimed[0]!;
    expect(claimed.record.error).toBe(error);
    expect(claimed.scanId).toBe('scan_01ODD');
    expect(claimed.record).toEqual(await producer.get(analysisId));
    expect(claimed.record.image_url).toBeNull();
  } finally {
    blocking.disconnect();
  }
});
