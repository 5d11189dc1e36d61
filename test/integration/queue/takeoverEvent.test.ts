/** A processing job taken over from a silent worker says so in its progress log, in the same script as the takeover. */
import { createConsumerQueue } from '../../../storage/consumerQueue.js';
import { createJobQueue, ensureConsumerGroup } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

const keys = createKeys();
let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
  await ensureConsumerGroup(redis.client, keys);
});
afterAll(() => redis.stop());

test('the takeover appends a `reclaimed` event naming the worker that held the job and for how long', async () => {
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
    const [entry] = (await workers.readNew(blocking, 'worker-a-1-c0', 100, 100)).filter(
      (read) => read.analysisId === analysisId,
    );
    await workers.claimBatch([entry!], () => 'worker-a-1-c0:token-a', 'worker-a-1-c0');
    // Backdate the old owner's last write, so the held time is known to be at least 5 s.
    await redis.client.hset(keys.job(analysisId), 'updated_at', Date.now() - 5000);
    const taken = await workers.takeOverIdle('worker-b-2-c1', 0, 100, '0-0');
    const report = await workers.claimBatch(
      taken.entries.filter((read) => read.analysisId === analysisId),
      () => 'worker-b-2-c1:token-b',
      'worker-b-2-c1',
    );
    expect(report.claimed[0]?.takenOver).toBe(true);
  } finally {
    blocking.disconnect();
  }
  const events = (await redis.client.xrange(keys.progress(analysisId), '-', '+')).map(
    ([, fields]) => JSON.parse(fields[1]!) as { stage: string; message: string; data?: Record<string, unknown> },
  );
  expect(events.map((event) => event.stage)).toEqual(['queued', 'started', 'reclaimed']);
  const reclaimed = events[2]!;
  expect(reclaimed.message).toMatch(/^reclaimed from worker worker-a-1 after \d+ ms$/);
  expect(reclaimed.data).toMatchObject({
    from_worker: 'worker-a-1',
    from_consumer: 'worker-a-1-c0',
    to_consumer: 'worker-b-2-c1',
  });
  expect(Number(reclaimed.data!.held_ms)).toBeGreaterThanOrEqual(5000);
});
