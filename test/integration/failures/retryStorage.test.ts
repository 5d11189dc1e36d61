/**
 * The failure scripts against a real redis-server: a retry scheduled in Redis and moved back
 * by racing schedulers exactly once, dead letters with history and replay (poison entries: poisonCounting.test.ts),
 * and cancel requests honoured at claim, refresh, retry and finish.
 */
import { createConsumerQueue, type ClaimedJob } from '../../../storage/consumerQueue.js';
import { createDeadLetters } from '../../../storage/deadLetters.js';
import { createJobQueue, ensureConsumerGroup } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { progressEvent } from '../../../storage/progressEvent.js';
import { readJobHistory } from '../../../storage/jobAttempts.js';
import { createRetrySchedule } from '../../../storage/retrySchedule.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

const keys = createKeys();
let redis: TestRedis;
let blocking: TestRedis['client'];

beforeAll(async () => {
  redis = await startRedis();
  await ensureConsumerGroup(redis.client, keys);
  blocking = redis.client.duplicate();
});
afterAll(async () => {
  blocking.disconnect();
  await redis.stop();
});

const request = { user_id: 'alice', symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' };
const producer = () => createJobQueue(redis.client, keys);
const workers = (maxDeliveries = 5) => createConsumerQueue(redis.client, keys, { maxDeliveries });

/** Queues a job and claims it for `consumer`, as a consumer actor does. */
async function queueAndClaim(consumer: string): Promise<ClaimedJob> {
  const { analysisId } = await producer().enqueue(request);
  return claimNext(consumer, analysisId);
}

async function claimNext(consumer: string, analysisId: string): Promise<ClaimedJob> {
  const entries = (await workers().readNew(blocking, consumer, 100, 100)).filter(
    (entry) => entry.analysisId === analysisId,
  );
  expect(entries).toHaveLength(1);
  const {
    claimed: [job],
  } = await workers().claimBatch(entries, () => `${consumer}:token`, consumer);
  expect(job).toBeDefined();
  return job!;
}

const retryOf = (job: ClaimedJob, error: string, dueAt: number, maxRetries = 3) => ({
  analysisId: job.record.analysis_id,
  entryId: job.entryId,
  ownerToken: job.ownerToken,
  error,
  node: 'node-a',
  maxRetries,
  dueAt,
  event: progressEvent('queued', 'retrying', 0, `retrying: ${error}`),
});

const isPending = async (entryId: string) =>
  (await redis.client.xpending(keys.stream, keys.group, entryId, entryId, 1)).length > 0;

const eventsOf = async (analysisId: string) =>
  (await redis.client.xrange(keys.progress(analysisId), '-', '+')).map(
    ([, fields]) => JSON.parse(fields[1]!) as { status: string; stage: string; message: string },
  );

test('a retry goes back to queued with attempts + 1, history, a schedule entry and an acknowledged entry; schedulers racing move it once', async () => {
  const job = await queueAndClaim('c1');
  const id = job.record.analysis_id;
  const dueAt = Date.now() + 200;
  expect(await workers().retry(retryOf(job, 'candles: HTTP 500', dueAt))).toEqual({ outcome: 'retrying', attempts: 1 });

  expect(await producer().get(id)).toMatchObject({ status: 'queued', attempts: 1, error: 'candles: HTTP 500' });
  expect(await readJobHistory(redis.client, keys, id)).toEqual([
    { attempt: 1, at: expect.any(Number), error: 'candles: HTTP 500', node: 'node-a' },
  ]);
  expect(await redis.client.zscore(keys.retrySchedule(), id)).toBe(String(dueAt));
  expect(await isPending(job.entryId)).toBe(false);
  expect((await eventsOf(id)).map((event) => event.stage)).toEqual(['queued', 'started', 'retrying']);
  // The old owner is fenced out.
  expect(await workers().retry(retryOf(job, 'again', dueAt))).toEqual({ outcome: 'lost', attempts: 0 });

  const schedule = createRetrySchedule(redis.client, keys);
  expect(await schedule.moveDue(dueAt - 1, 10)).toEqual([]);
  const before = await redis.client.xlen(keys.stream);
  const otherNode = redis.client.duplicate();
  const raced = await Promise.all([
    schedule.moveDue(dueAt, 10),
    schedule.moveDue(dueAt, 10),
    createRetrySchedule(otherNode, keys).moveDue(dueAt, 10),
  ]);
  otherNode.disconnect();
  expect(raced.flat()).toEqual([id]);
  expect(await redis.client.xlen(keys.stream)).toBe(before + 1);
  const newEntryId = await redis.client.hget(keys.job(id), 'entry_id');
  expect(newEntryId).not.toBe(job.entryId);

  // The job runs again from its new entry, with its attempt count.
  const again = await claimNext('c2', id);
  expect(again).toMatchObject({ entryId: newEntryId, record: { status: 'processing', attempts: 1 } });
});

test('a stale entry of a re-queued job is skipped and acknowledged', async () => {
  const job = await queueAndClaim('c3');
  const id = job.record.analysis_id;
  await workers().retry(retryOf(job, 'boom', Date.now()));
  await createRetrySchedule(redis.client, keys).moveDue(Date.now(), 10);
  // Someone re-delivers the old entry id (it is no longer pending: skipped without running).
  const report = await workers().claimBatch([{ entryId: job.entryId, analysisId: id }], () => 'x', 'c3');
  expect(report).toEqual({ claimed: [], skipped: [{ analysisId: id, reason: 'not-pending' }] });
});

test('after ANALYSIS_MAX_RETRIES retries the job is dead-lettered with its history; replay gives fresh attempts and keeps the history', async () => {
  let job = await queueAndClaim('c4');
  const id = job.record.analysis_id;
  const schedule = createRetrySchedule(redis.client, keys);
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    expect(await workers().retry(retryOf(job, `failure ${attempt}`, Date.now()))).toEqual({
      outcome: 'retrying',
      attempts: attempt,
    });
    expect(await schedule.moveDue(Date.now(), 10)).toContain(id);
    job = await claimNext('c4', id);
  }
  expect(await workers().retry(retryOf(job, 'failure 4', Date.now()))).toEqual({
    outcome: 'dead-lettered',
    attempts: 3,
  });
  expect(await producer().get(id)).toMatchObject({ status: 'failed', error: 'failure 4', attempts: 3 });
  expect(await isPending(job.entryId)).toBe(false);
  expect(await redis.client.zscore(keys.retrySchedule(), id)).toBeNull();
  expect((await eventsOf(id)).at(-1)).toMatchObject({ status: 'failed', stage: 'finished', message: 'failure 4' });

  const dlq = createDeadLetters(redis.client, keys);
  const letters = (await dlq.list()).filter((letter) => letter.analysis_id === id);
  expect(letters).toHaveLength(1);
  expect(letters[0]).toMatchObject({ error: 'failure 4', attempts: 3, job: { status: 'failed' } });
  expect(letters[0]!.history.map((attempt) => attempt.error)).toEqual([
    'failure 1',
    'failure 2',
    'failure 3',
    'failure 4',
  ]);

  expect(await dlq.replay(id)).toEqual({ analysis_id: id, replayed: true });
  expect(await dlq.replay(id)).toBeUndefined();
  expect((await dlq.list()).some((letter) => letter.analysis_id === id)).toBe(false);
  expect(await producer().get(id)).toMatchObject({ status: 'queued', attempts: 0, error: null });
  expect(await readJobHistory(redis.client, keys, id)).toHaveLength(4);
  const replayed = await claimNext('c5', id);
  expect(replayed.record).toMatchObject({ status: 'processing', attempts: 0 });
});

test('a permanent failure can be written at once (no retry), by finish', async () => {
  const job = await queueAndClaim('c6');
  const id = job.record.analysis_id;
  const failed = {
    analysisId: id,
    entryId: job.entryId,
    ownerToken: job.ownerToken,
    status: 'failed' as const,
    result: { error: 'unknown symbol' },
    event: progressEvent('failed', 'finished', 1, 'unknown symbol'),
  };
  expect(await workers().finishWithStatus([failed])).toEqual(['failed']);
  expect(await producer().get(id)).toMatchObject({ status: 'failed', error: 'unknown symbol', attempts: 0 });
  expect(await redis.client.zscore(keys.retrySchedule(), id)).toBeNull();
});

test('a cancel request wins: at refresh it is reported, a completed write becomes cancelled, a retry becomes cancelled, a taken-over job is not run', async () => {
  const requestCancel = (id: string) => redis.client.hset(keys.job(id), 'cancel_requested', 1);

  const finishing = await queueAndClaim('k1');
  const finishingId = finishing.record.analysis_id;
  await requestCancel(finishingId);
  expect(
    await workers().refreshClaimStates('k1', [
      { analysisId: finishingId, entryId: finishing.entryId, ownerToken: finishing.ownerToken },
    ]),
  ).toEqual(['cancel-requested']);
  const completed = {
    analysisId: finishingId,
    entryId: finishing.entryId,
    ownerToken: finishing.ownerToken,
    status: 'completed' as const,
    result: { llm_summary: 'done' },
    event: progressEvent('completed', 'finished', 1, 'done'),
  };
  expect(await workers().finishWithStatus([completed])).toEqual(['cancelled']);
  expect(await producer().get(finishingId)).toMatchObject({ status: 'cancelled', llm_summary: null });
  expect(
    (await eventsOf(finishingId)).filter((event) => event.stage === 'finished').map((event) => event.status),
  ).toEqual(['cancelled']);

  const retrying = await queueAndClaim('k2');
  await requestCancel(retrying.record.analysis_id);
  expect(await workers().retry(retryOf(retrying, 'HTTP 500', Date.now()))).toMatchObject({ outcome: 'cancelled' });
  expect(await producer().get(retrying.record.analysis_id)).toMatchObject({ status: 'cancelled' });
  expect(await redis.client.zscore(keys.retrySchedule(), retrying.record.analysis_id)).toBeNull();

  const orphan = await queueAndClaim('k3');
  const orphanId = orphan.record.analysis_id;
  await requestCancel(orphanId);
  const taken = (await workers().takeOverIdle('k4', 0, 100, '0-0')).entries.filter(
    (entry) => entry.analysisId === orphanId,
  );
  expect(await workers().claimBatch(taken, () => 'k4-token', 'k4')).toEqual({
    claimed: [],
    skipped: [{ analysisId: orphanId, reason: 'cancelled' }],
  });
  expect(await producer().get(orphanId)).toMatchObject({ status: 'cancelled' });
  expect(await isPending(orphan.entryId)).toBe(false);
});
