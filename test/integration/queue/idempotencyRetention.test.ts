/**
 * An idempotency key expires with the job it queued, on a real redis-server: the retention
 * sweeper deletes it once the finished job's record has expired (never a key that names
 * another analysis by then), and a job kept forever keeps the key's own 24 h lifetime.
 */
import { createConsumerQueue } from '../../../storage/consumerQueue.js';
import { createJobQueue, IDEMPOTENCY_TTL_SECONDS } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { progressEvent } from '../../../storage/progressEvent.js';
import { createRetentionSweep, parseScheduleMember } from '../../../storage/retentionSweep.js';
import { eventually } from '../../support/candelaProcess.js';
import { useQueueRedis } from '../../support/redisServer.js';

const keys = createKeys();
const RESULT_TTL = 1;
const redis = useQueueRedis(keys);

const request = { user_id: 'idem-user', symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' };

/** Runs the job through the production read, claim and finish calls, with the given result TTL. */
async function complete(analysisId: string, resultTtlSeconds: number): Promise<void> {
  const workers = createConsumerQueue(redis.client, keys, { resultTtlSeconds });
  const blocking = redis.client.duplicate();
  try {
    const entry = (await workers.readNew(blocking, 'idem-consumer', 100, 100)).find(
      (read) => read.analysisId === analysisId,
    );
    expect(entry).toBeDefined();
    const { claimed } = await workers.claimBatch([entry!], () => 'idem-token', 'idem-consumer');
    expect(claimed).toHaveLength(1);
    const finished = await workers.finishWithStatus([
      {
        analysisId,
        entryId: entry!.entryId,
        ownerToken: 'idem-token',
        status: 'completed',
        result: { llm_summary: 'done' },
        event: progressEvent('completed', 'finished', 1, 'done'),
      },
    ]);
    expect(finished).toEqual(['completed']);
  } finally {
    blocking.disconnect();
  }
}

async function recordExpired(analysisId: string): Promise<void> {
  await eventually(
    async () => ((await redis.client.exists(keys.job(analysisId))) === 0 ? true : undefined),
    10_000,
    `${analysisId}'s record expired`,
  );
}

test('the schedule member names the idempotency key; one without a key reads as before', () => {
  expect(parseScheduleMember('analysis_01A:alice')).toEqual({ analysisId: 'analysis_01A', userId: 'alice' });
  expect(parseScheduleMember('analysis_01A:alice order:7')).toEqual({
    analysisId: 'analysis_01A',
    userId: 'alice',
    idempotencyKey: 'order:7',
  });
  expect(parseScheduleMember('no-colon')).toBeUndefined();
});

test('the key goes when its finished job expires, so the same request then queues a new analysis', async () => {
  const queue = createJobQueue(redis.client, keys, { resultTtlSeconds: RESULT_TTL });
  const idempotency = keys.idempotency(request.user_id, 'order:7');
  const first = await queue.enqueue(request, { idempotencyKey: 'order:7' });
  // Its own expiry is only a backstop, past the job's retention.
  expect(await redis.client.ttl(idempotency)).toBeGreaterThan(IDEMPOTENCY_TTL_SECONDS);

  await complete(first.analysisId, RESULT_TTL);
  expect(
    await redis.client.zscore(keys.retentionSchedule(), `${first.analysisId}:${request.user_id} order:7`),
  ).not.toBeNull();
  // Still within retention: the request finds its finished analysis.
  expect(await queue.enqueue(request, { idempotencyKey: 'order:7' })).toEqual({
    analysisId: first.analysisId,
    created: false,
  });

  await recordExpired(first.analysisId);
  const sweep = createRetentionSweep(redis.client, keys);
  expect(await sweep.sweep(Date.now() + 1000, 100)).toEqual({ due: 1, dropped: 1 });
  expect(await redis.client.exists(idempotency)).toBe(0);
  expect(await redis.client.zcard(keys.retentionSchedule())).toBe(0);

  const again = await queue.enqueue(request, { idempotencyKey: 'order:7' });
  expect(again.created).toBe(true);
  expect(again.analysisId).not.toBe(first.analysisId);
});

test('a key that names another analysis by the time the old job expires stays', async () => {
  const queue = createJobQueue(redis.client, keys, { resultTtlSeconds: RESULT_TTL });
  const idempotency = keys.idempotency(request.user_id, 'reused');
  const old = await queue.enqueue(request, { idempotencyKey: 'reused' });
  await complete(old.analysisId, RESULT_TTL);
  // The key's own expiry passed (a backstop shorter than the job's life), and a request reused it.
  await redis.client.del(idempotency);
  const reused = await queue.enqueue(request, { idempotencyKey: 'reused' });
  expect(reused.created).toBe(true);

  await recordExpired(old.analysisId);
  await createRetentionSweep(redis.client, keys).sweep(Date.now() + 1000, 100);
  expect(await redis.client.get(idempotency)).toBe(reused.analysisId);
});

test('with results kept forever the key keeps its own 24 h and nothing is scheduled', async () => {
  const queue = createJobQueue(redis.client, keys);
  const kept = await queue.enqueue(request, { idempotencyKey: 'kept' });
  await complete(kept.analysisId, 0);
  const ttl = await redis.client.ttl(keys.idempotency(request.user_id, 'kept'));
  expect(ttl).toBeGreaterThan(IDEMPOTENCY_TTL_SECONDS - 60);
  expect(ttl).toBeLessThanOrEqual(IDEMPOTENCY_TTL_SECONDS);
  expect(await redis.client.zscore(keys.retentionSchedule(), `${kept.analysisId}:${request.user_id} kept`)).toBeNull();
  expect(await redis.client.ttl(keys.job(kept.analysisId))).toBe(-1);
});
