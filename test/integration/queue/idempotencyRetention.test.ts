/**
 * With retention on, an idempotency key lives exactly as long as its job: no expiry of its own
 * while the job is live, the job's expiry once it ends (finish, cancel, or, with archiving,
 * once archived), back to no expiry when a dead letter is replayed; afterwards the same key
 * queues a new job. With results kept forever it keeps its own 24 h lifetime.
 */
import { jest } from '@jest/globals';
import { createArchiveOutbox, ensureArchiveGroup } from '../../../storage/archiveOutbox.js';
import { createConsumerQueue } from '../../../storage/consumerQueue.js';
import { createJobQueue, ensureConsumerGroup } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { progressEvent } from '../../../storage/progressEvent.js';
import { IDEMPOTENCY_TTL_SECONDS } from '../../../storage/retention.js';
import { eventually } from '../../support/candelaProcess.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

jest.setTimeout(120_000);

const keys = createKeys();
const TTL = 2;
let redis: TestRedis;
let blocking: TestRedis['client'];

beforeAll(async () => {
  redis = await startRedis();
  await ensureConsumerGroup(redis.client, keys);
  await ensureArchiveGroup(redis.client, keys);
  blocking = redis.client.duplicate();
});
afterAll(async () => {
  blocking.disconnect();
  await redis.stop();
});

const request = { user_id: 'idem-user', symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' };
const idempotency = (key: string) => keys.idempotency(request.user_id, key);

async function finish(analysisId: string, options: { archiving: boolean }): Promise<void> {
  const queue = createConsumerQueue(redis.client, keys, { resultTtlSeconds: TTL, archiving: options.archiving });
  const entries = (await queue.readNew(blocking, 'idem-consumer', 100, 100)).filter(
    (entry) => entry.analysisId === analysisId,
  );
  const { claimed } = await queue.claimBatch(entries, () => 'idem-token', 'idem-consumer');
  expect(claimed).toHaveLength(1);
  const [job] = claimed;
  await queue.finishWithStatus([
    {
      analysisId,
      entryId: job!.entryId,
      ownerToken: job!.ownerToken,
      status: 'completed',
      result: { llm_summary: 'done' },
      event: progressEvent('completed', 'finished', 1, 'done', { llm_summary: 'done' }),
    },
  ]);
}

test('the key has no expiry while its job lives, expires with the finished job, and is then free again', async () => {
  const jobs = createJobQueue(redis.client, keys, { resultTtlSeconds: TTL });
  const first = await jobs.enqueue(request, { idempotencyKey: 'finish-1' });
  expect(await redis.client.ttl(idempotency('finish-1'))).toBe(-1);
  expect((await jobs.enqueue(request, { idempotencyKey: 'finish-1' })).analysisId).toBe(first.analysisId);

  await finish(first.analysisId, { archiving: false });
  const [keyTtl, jobTtl] = await Promise.all([
    redis.client.pttl(idempotency('finish-1')),
    redis.client.pttl(keys.job(first.analysisId)),
  ]);
  expect(keyTtl).toBeGreaterThan(0);
  expect(keyTtl).toBeLessThanOrEqual(TTL * 1000);
  expect(Math.abs(keyTtl - jobTtl)).toBeLessThan(1000);

  await eventually(async () =>
    (await redis.client.exists(idempotency('finish-1'), keys.job(first.analysisId))) === 0 ? true : undefined,
  );
  const again = await jobs.enqueue(request, { idempotencyKey: 'finish-1' });
  expect(again.created).toBe(true);
  expect(again.analysisId).not.toBe(first.analysisId);
});

test('a cancelled job takes its key with it', async () => {
  const jobs = createJobQueue(redis.client, keys, { resultTtlSeconds: TTL });
  const { analysisId } = await jobs.enqueue(request, { idempotencyKey: 'cancel-1' });
  expect((await jobs.cancel(analysisId, request.user_id)).outcome).toBe('cancelled');
  const keyTtl = await redis.client.pttl(idempotency('cancel-1'));
  expect(keyTtl).toBeGreaterThan(0);
  expect(keyTtl).toBeLessThanOrEqual(TTL * 1000);
});

test('with archiving, the key starts to expire once the job is archived, not before', async () => {
  const jobs = createJobQueue(redis.client, keys, { resultTtlSeconds: TTL, archiving: true });
  const { analysisId } = await jobs.enqueue(request, { idempotencyKey: 'archive-1' });
  await finish(analysisId, { archiving: true });
  expect(await redis.client.ttl(idempotency('archive-1'))).toBe(-1);

  const outbox = createArchiveOutbox(redis.client, keys, { resultTtlSeconds: TTL });
  const entries = (await outbox.read('idem-archiver', 100)).filter((entry) => entry.analysisId === analysisId);
  expect(entries).toHaveLength(1);
  expect(await outbox.acknowledge(entries)).toBe(1);
  const keyTtl = await redis.client.pttl(idempotency('archive-1'));
  expect(keyTtl).toBeGreaterThan(0);
  expect(keyTtl).toBeLessThanOrEqual(TTL * 1000);
});

test('results kept forever: the key keeps its own 24 h lifetime', async () => {
  const jobs = createJobQueue(redis.client, keys, { resultTtlSeconds: 0 });
  const { analysisId } = await jobs.enqueue(request, { idempotencyKey: 'forever-1' });
  expect(await redis.client.ttl(idempotency('forever-1'))).toBeGreaterThan(IDEMPOTENCY_TTL_SECONDS - 60);
  expect(await redis.client.hget(keys.job(analysisId), 'idempotency_key')).toBeNull();
});
