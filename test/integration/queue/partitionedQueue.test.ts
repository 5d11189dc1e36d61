/**
 * Three partitions on one redis-server: jobs land in their user's partition, a consumer reads
 * every partition in turn, and claim, finish, retry, dead letters, reclaim, trimming and stats
 * work per partition behind the one-partition interfaces.
 */
import { partitionOfId } from '../../../storage/analysisId.js';
import { createJobQueue, ensureConsumerGroups } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { createPartitionedConsumerQueue } from '../../../storage/partitionedConsumerQueue.js';
import { createPartitionedDeadLetters, createPartitionedRetrySchedule } from '../../../storage/partitionedStores.js';
import { progressEvent } from '../../../storage/progressEvent.js';
import type { StreamEntry } from '../../../storage/consumerQueue.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

const keys = createKeys(undefined, undefined, 3);
let redis: TestRedis;

/** One user per partition, found by the partition function itself. */
const userIn = (partition: number) => {
  for (let index = 0; ; index += 1) if (keys.userPartition(`user-${index}`) === partition) return `user-${index}`;
};
const users = [userIn(0), userIn(1), userIn(2)];
const request = (userId: string, symbol = 'BTCUSDT') => ({ user_id: userId, symbol, interval: '1h', timeframe: '7d' });
const finished = (entry: StreamEntry, ownerToken: string) => ({
  analysisId: entry.analysisId,
  entryId: entry.entryId,
  ownerToken,
  status: 'completed' as const,
  result: { llm_summary: 'done' },
  event: progressEvent('completed', 'finished', 1, 'done'),
});

beforeAll(async () => {
  redis = await startRedis();
  await ensureConsumerGroups(redis.client, keys);
});
afterAll(() => redis.stop());

test("a job goes to its user's partition: record, stream entry, user index and cap in that partition's slot", async () => {
  const queue = createJobQueue(redis.client, keys);
  for (const [partition, user] of users.entries()) {
    const { analysisId } = await queue.enqueue(request(user));
    expect(partitionOfId(analysisId)).toBe(partition);
    const own = keys.forPartition(partition);
    const newest = (await redis.client.xrevrange(own.stream, '+', '-', 'COUNT', 1)) as [string, string[]][];
    expect(newest[0]?.[1]).toEqual(['analysis_id', analysisId]);
    expect(await redis.client.zscore(own.userJobs(user), analysisId)).not.toBeNull();
    expect(await redis.client.zscore(own.userActiveJobs(user), analysisId)).not.toBeNull();
    expect(await queue.get(analysisId)).toMatchObject({ status: 'queued', user_id: user });
    expect((await queue.list(user, { limit: 10, offset: 0 })).jobs.map((job) => job.analysis_id)).toContain(analysisId);
  }
  const stats = await queue.stats();
  expect(stats.waiting_jobs).toBe(3);
  expect(stats.partitions?.map((part) => [part.stream_name, part.waiting_jobs])).toEqual([
    ['market-analysis-jobs', 1],
    ['market-analysis-jobs-p1', 1],
    ['market-analysis-jobs-p2', 1],
  ]);
});

test('a consumer reads the partitions in turn, so a backlog in one does not starve the others', async () => {
  const queue = createJobQueue(redis.client, keys);
  const workers = createPartitionedConsumerQueue(redis.client, keys);
  for (let index = 0; index < 20; index += 1) await queue.enqueue(request(users[0]!, `BUSY${index}`));
  const blocking = redis.client.duplicate();
  try {
    const seen = new Set<number>();
    let finishedCount = 0;
    // Three reads of at most 5 entries each: partition 0 alone holds 21, yet 1 and 2 are read too.
    for (let read = 0; read < 3; read += 1) {
      const entries = await workers.readNew(blocking, 'fair-consumer', 5, 100);
      expect(entries.length).toBeGreaterThan(0);
      for (const entry of entries) seen.add(partitionOfId(entry.analysisId));
      const { claimed } = await workers.claimBatch(entries, () => 'token-fair', 'fair-consumer');
      const statuses = await workers.finishWithStatus(
        claimed.map((job) => finished({ entryId: job.entryId, analysisId: job.record.analysis_id }, 'token-fair')),
      );
      finishedCount += statuses.filter((status) => status === 'completed').length;
    }
    expect([...seen].sort()).toEqual([0, 1, 2]);
    expect(finishedCount).toBeGreaterThanOrEqual(3);
    expect(await workers.pendingCount('fair-consumer')).toBe(0);
    // Drain the rest, so later tests start from an empty queue.
    for (;;) {
      const entries = await workers.readNew(blocking, 'fair-consumer', 50, 50);
      if (entries.length === 0) break;
      const { claimed } = await workers.claimBatch(entries, () => 'token-fair', 'fair-consumer');
      await workers.finishWithStatus(
        claimed.map((job) => finished({ entryId: job.entryId, analysisId: job.record.analysis_id }, 'token-fair')),
      );
    }
    expect((await queue.stats()).waiting_jobs).toBe(0);
    expect(await workers.trimAcknowledged()).toBeGreaterThan(0);
  } finally {
    blocking.disconnect();
  }
});

test('retry, dead letter, replay and reclaim each stay in the partition of the job', async () => {
  const queue = createJobQueue(redis.client, keys);
  const workers = createPartitionedConsumerQueue(redis.client, keys);
  const schedule = createPartitionedRetrySchedule(redis.client, keys);
  const deadLetters = createPartitionedDeadLetters(redis.client, keys);
  const blocking = redis.client.duplicate();
  try {
    const { analysisId } = await queue.enqueue(request(users[2]!, 'RETRY'));
    const own = keys.forPartition(2);
    const read = async () => {
      for (let attempt = 0; attempt < 10; attempt += 1) {
        const entries = await workers.readNew(blocking, 'retry-consumer', 10, 50);
        const entry = entries.find((candidate) => candidate.analysisId === analysisId);
        if (entry) return entry;
      }
      throw new Error(`${analysisId} was not read`);
    };
    const entry = await read();
    const {
      claimed: [job],
    } = await workers.claimBatch([entry], () => 'token-1', 'retry-consumer');
    const retryRequest = {
      analysisId,
      entryId: job!.entryId,
      ownerToken: 'token-1',
      error: 'candles: HTTP 500',
      node: 'retry-consumer',
      maxRetries: 1,
      dueAt: Date.now(),
      event: progressEvent('queued', 'retrying', 0, 'retrying'),
    };
    expect(await workers.retry(retryRequest)).toEqual({ outcome: 'retrying', attempts: 1 });
    expect(await redis.client.zscore(own.retrySchedule(), analysisId)).not.toBeNull();
    expect((await queue.stats()).partitions?.[2]?.scheduled_retries).toBe(1);
    expect(await schedule.moveDue(Date.now(), 10)).toEqual([analysisId]);

    // The second run is left idle: another consumer takes it over, following the cursor over every partition.
    const again = await read();
    await workers.claimBatch([again], () => 'token-2', 'retry-consumer');
    const taken: StreamEntry[] = [];
    let cursor = '0-0';
    do {
      const page = await workers.takeOverIdle('rescuer', 0, 10, cursor);
      taken.push(...page.entries);
      cursor = page.cursor;
    } while (cursor !== '0-0');
    expect(taken.map((found) => found.analysisId)).toEqual([analysisId]);
    const {
      claimed: [rescued],
    } = await workers.claimBatch(taken, () => 'token-3', 'rescuer');
    expect(rescued?.takenOver).toBe(true);

    // Retries used up: the job goes to partition 2's dead-letter stream, and replays from there.
    expect(await workers.retry({ ...retryRequest, entryId: rescued!.entryId, ownerToken: 'token-3' })).toEqual({
      outcome: 'dead-lettered',
      attempts: 1,
    });
    expect(await redis.client.xlen(own.deadLetters())).toBe(1);
    expect(await redis.client.xlen(keys.deadLetters())).toBe(0);
    expect((await deadLetters.list()).map((letter) => letter.analysis_id)).toEqual([analysisId]);
    expect(await deadLetters.replay(analysisId)).toEqual({ analysis_id: analysisId, replayed: true });
    expect(await queue.get(analysisId)).toMatchObject({ status: 'queued' });
    expect(await queue.cancel(analysisId, users[2]!)).toEqual({ outcome: 'cancelled' });
    expect(await redis.client.zscore(own.userActiveJobs(users[2]!), analysisId)).toBeNull();
  } finally {
    blocking.disconnect();
  }
});

test('each new reclaim sweep starts one partition further, so sweeps cut short still reach every partition', async () => {
  const queue = createJobQueue(redis.client, keys);
  const workers = createPartitionedConsumerQueue(redis.client, keys);
  const blocking = redis.client.duplicate();
  try {
    for (const user of users) await queue.enqueue(request(user, 'IDLE'));
    // Delivered and left pending: a consumer that died holding one entry in each partition.
    while ((await workers.readNew(blocking, 'sleepy', 50, 10)).length > 0);
    const firstPages = new Set<number>();
    for (let sweep = 0; sweep < 3; sweep += 1) {
      const page = await workers.takeOverIdle('rescuer-2', 0, 1, '0-0');
      expect(page.entries).toHaveLength(1);
      firstPages.add(partitionOfId(page.entries[0]!.analysisId));
    }
    expect([...firstPages].sort()).toEqual([0, 1, 2]);
  } finally {
    blocking.disconnect();
  }
});
