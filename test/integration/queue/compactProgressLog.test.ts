/**
 * A finished job's progress log is kept at its own size, not at the 4 KB Redis gives a new
 * stream node: the same entries, ids and expiry after the finish, the copy key gone, and an
 * event appended later still lands on it.
 */
import { finishRequestFor } from '../../../actors/finishRequestFor.js';
import { createConsumerQueue } from '../../../storage/consumerQueue.js';
import { createJobQueue } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { useQueueRedis } from '../../support/redisServer.js';

const keys = createKeys();
const redis = useQueueRedis(keys);

test('the log of a finished job is compacted, with its entries, ids and TTL', async () => {
  const producer = createJobQueue(redis.client, keys);
  const workers = createConsumerQueue(redis.client, keys);
  const { analysisId } = await producer.enqueue({
    user_id: 'alice',
    symbol: 'BTCUSDT',
    interval: '1h',
    timeframe: '7d',
  });
  const blocking = redis.client.duplicate();
  try {
    const entries = await workers.readNew(blocking, 'consumer-a', 10, 100);
    const { claimed } = await workers.claimBatch(entries, () => 'token-a', 'consumer-a');
    const progressKey = keys.progress(analysisId);
    // As Redis writes it: a node with room for the entries to come.
    expect(await redis.client.memory('USAGE', progressKey)).toBeGreaterThan(4096);
    const result = { image_url: '/charts/a.svg', llm_summary: 'up', summary_source: 'rule-based' as const };
    expect(
      await workers.finishWithStatus([finishRequestFor(analysisId, claimed[0]!, { status: 'completed', result })]),
    ).toEqual(['completed']);

    expect(await redis.client.memory('USAGE', progressKey)).toBeLessThan(2048);
    const events = await redis.client.xrange(progressKey, '-', '+');
    expect(events.map(([, fields]) => JSON.parse(fields[1]!).status)).toEqual(['queued', 'processing', 'completed']);
    expect(await redis.client.ttl(progressKey)).toBeGreaterThan(0);
    expect(await redis.client.exists(keys.progressCopy(analysisId))).toBe(0);

    const later = await redis.client.xadd(progressKey, '*', 'event', '{"status":"queued"}');
    expect((await redis.client.xrange(progressKey, '-', '+')).map(([id]) => id)).toEqual([
      ...events.map(([id]) => id),
      later,
    ]);
  } finally {
    blocking.disconnect();
  }
});
