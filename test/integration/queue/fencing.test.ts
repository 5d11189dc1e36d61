/** Claim, reclaim and finish against a real redis-server: a worker that lost its job cannot finish it. */
import { createConsumerQueue } from '../../../storage/consumerQueue.js';
import { createJobQueue, ensureConsumerGroup } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { progressEvent } from '../../../storage/progressEvent.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

const keys = createKeys();
let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
  await ensureConsumerGroup(redis.client, keys);
});
afterAll(() => redis.stop());

const request = { user_id: 'alice', symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' };
const completed = (analysisId: string, entryId: string, ownerToken: string, marker: string) => ({
  analysisId,
  entryId,
  ownerToken,
  status: 'completed' as const,
  result: { llm_summary: marker },
  event: progressEvent('completed', 'finished', 1, marker),
});

test('enqueue writes the record, the stream entry and a queued event, atomically', async () => {
  const queue = createJobQueue(redis.client, keys);
  const before = await redis.client.xlen(keys.stream);
  const { analysisId, created } = await queue.enqueue(request);
  expect(created).toBe(true);
  expect(analysisId).toMatch(/^analysis_[0-9A-Z]{26}$/);
  expect(await redis.client.xlen(keys.stream)).toBe(before + 1);
  const job = await queue.get(analysisId);
  expect(job).toMatchObject({ ...request, analysis_id: analysisId, status: 'queued', attempts: 0 });
  const events = await redis.client.xrange(keys.progress(analysisId), '-', '+');
  expect(events).toHaveLength(1);
  expect(JSON.parse(events[0]![1][1]!)).toMatchObject({ status: 'queued' });
});

test('the same idempotency key queues once', async () => {
  const queue = createJobQueue(redis.client, keys);
  const first = await queue.enqueue(request, { idempotencyKey: 'order-42' });
  const lengthAfterFirst = await redis.client.xlen(keys.stream);
  const second = await queue.enqueue(request, { idempotencyKey: 'order-42' });
  expect(second).toEqual({ analysisId: first.analysisId, created: false });
  expect(await redis.client.xlen(keys.stream)).toBe(lengthAfterFirst);
});

test('a worker whose job was reclaimed cannot finish it; the new owner can, once', async () => {
  const producer = createJobQueue(redis.client, keys);
  const workers = createConsumerQueue(redis.client, keys);
  const { analysisId } = await producer.enqueue(request);
  const blocking = redis.client.duplicate();
  try {
    const [entry] = (await workers.readNew(blocking, 'consumer-a', 100, 100)).filter(
      (read) => read.analysisId === analysisId,
    );
    expect(entry).toBeDefined();
    const {
      claimed: [claimedByA],
    } = await workers.claimBatch([entry!], () => 'token-a', 'consumer-a');
    expect(claimedByA).toMatchObject({ takenOver: false, record: { status: 'processing' } });

    // Consumer B takes the idle entry over (a claim timeout of 0 ms), as the reclaimer does.
    const taken = await workers.takeOverIdle('consumer-b', 0, 100, '0-0');
    const reclaimed = taken.entries.filter((read) => read.analysisId === analysisId);
    expect(reclaimed).toHaveLength(1);
    const {
      claimed: [claimedByB],
    } = await workers.claimBatch(reclaimed, () => 'token-b', 'consumer-b');
    expect(claimedByB?.takenOver).toBe(true);

    expect(
      await workers.refreshClaimStates('consumer-a', [{ analysisId, entryId: entry!.entryId, ownerToken: 'token-a' }]),
    ).toEqual(['lost']);
    expect(await workers.appendProgress(analysisId, 'token-a', progressEvent('processing', 'chart', 0.7, 'late'))).toBe(
      false,
    );
    expect(await workers.finishWithStatus([completed(analysisId, entry!.entryId, 'token-a', 'from A')])).toEqual([
      undefined,
    ]);
    expect(await producer.get(analysisId)).toMatchObject({ status: 'processing' });

    expect(await workers.finishWithStatus([completed(analysisId, entry!.entryId, 'token-b', 'from B')])).toEqual([
      'completed',
    ]);
    expect(await producer.get(analysisId)).toMatchObject({ status: 'completed', llm_summary: 'from B' });
    // Terminal states never change again, even for the owner.
    expect(await workers.finishWithStatus([completed(analysisId, entry!.entryId, 'token-b', 'again')])).toEqual([
      undefined,
    ]);
    const stillPending = (await redis.client.xpending(keys.stream, keys.group, '-', '+', 1000)) as [string][];
    expect(stillPending.map(([id]) => id)).not.toContain(entry!.entryId);

    const events = await redis.client.xrange(keys.progress(analysisId), '-', '+');
    const terminal = events
      .map(([, fields]) => JSON.parse(fields[1]!) as { status: string })
      .filter((event) => event.status === 'completed');
    expect(terminal).toHaveLength(1);
  } finally {
    blocking.disconnect();
  }
});

test('claiming skips and acknowledges an entry whose job is already terminal', async () => {
  const producer = createJobQueue(redis.client, keys);
  const workers = createConsumerQueue(redis.client, keys);
  const { analysisId } = await producer.enqueue(request);
  await redis.client.hset(keys.job(analysisId), 'status', 'cancelled');
  const blocking = redis.client.duplicate();
  try {
    const entries = (await workers.readNew(blocking, 'consumer-c', 100, 100)).filter(
      (read) => read.analysisId === analysisId,
    );
    expect(entries).toHaveLength(1);
    expect(await workers.claimBatch(entries, () => 'token-c', 'consumer-c')).toEqual({
      claimed: [],
      skipped: [{ analysisId, reason: 'terminal' }],
    });
    expect(await workers.pendingCount('consumer-c')).toBe(0);
    expect(await producer.get(analysisId)).toMatchObject({ status: 'cancelled' });
  } finally {
    blocking.disconnect();
  }
});

test('trimming removes acknowledged entries only: pending and undelivered ones stay', async () => {
  const producer = createJobQueue(redis.client, keys);
  const workers = createConsumerQueue(redis.client, keys);
  const blocking = redis.client.duplicate();
  try {
    // Settle what earlier tests left: everything delivered so far is acknowledged here.
    const leftovers = (await redis.client.xpending(keys.stream, keys.group, '-', '+', 1000)) as [string][];
    if (leftovers.length > 0) await redis.client.xack(keys.stream, keys.group, ...leftovers.map(([id]) => id));
    const ids: string[] = [];
    for (let index = 0; index < 6; index += 1)
      ids.push((await producer.enqueue({ ...request, symbol: `TRIM${index}` })).analysisId);
    const read = await workers.readNew(blocking, 'trim-consumer', 4, 100); // 4 delivered, 2 waiting
    const first = read.find((entry) => entry.analysisId === ids[0])!;
    const third = read.find((entry) => entry.analysisId === ids[2])!;
    await redis.client.xack(
      keys.stream,
      keys.group,
      first.entryId,
      read.find((entry) => entry.analysisId === ids[1])!.entryId,
    );
    // Pending: the 3rd and 4th. Acknowledged: the 1st and 2nd (and all older), which go.
    await workers.trimAcknowledged();
    const left = (await redis.client.xrange(keys.stream, '-', '+')).map(([, fields]) => fields[1]);
    expect(left).toEqual(ids.slice(2));
    // With nothing pending, every delivered entry goes and the undelivered two stay.
    await redis.client.xack(
      keys.stream,
      keys.group,
      third.entryId,
      read.find((entry) => entry.analysisId === ids[3])!.entryId,
    );
    expect(await workers.trimAcknowledged()).toBe(2);
    expect((await redis.client.xrange(keys.stream, '-', '+')).map(([, fields]) => fields[1])).toEqual(ids.slice(4));
    expect((await workers.readNew(blocking, 'trim-consumer', 10, 100)).map((entry) => entry.analysisId)).toEqual(
      ids.slice(4),
    );
  } finally {
    blocking.disconnect();
  }
});

test('a consumer is deregistered only with nothing pending, in one script', async () => {
  const producer = createJobQueue(redis.client, keys);
  const workers = createConsumerQueue(redis.client, keys);
  const { analysisId } = await producer.enqueue(request);
  const blocking = redis.client.duplicate();
  try {
    const entries = (await workers.readNew(blocking, 'leaving', 100, 100)).filter(
      (read) => read.analysisId === analysisId,
    );
    expect(await workers.removeConsumerIfIdle('leaving')).toEqual({ removed: false, pending: expect.any(Number) });
    expect(await workers.pendingCount('leaving')).toBeGreaterThan(0);
    await redis.client.xack(
      keys.stream,
      keys.group,
      ...((await redis.client.xpending(keys.stream, keys.group, '-', '+', 1000, 'leaving')) as [string][]).map(
        ([id]) => id,
      ),
    );
    expect(entries).toHaveLength(1);
    expect(await workers.removeConsumerIfIdle('leaving')).toEqual({ removed: true, pending: 0 });
    expect(await workers.removeConsumerIfIdle('never-seen')).toEqual({ removed: false, pending: 0 });
    const names = ((await redis.client.xinfo('CONSUMERS', keys.stream, keys.group)) as string[][]).map(
      (fields) => fields[1],
    );
    expect(names).not.toContain('leaving');
  } finally {
    blocking.disconnect();
  }
});
