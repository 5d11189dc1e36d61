/** The admin procedures queue.deadLetters and queue.replay on a real API process: a user token is refused, an admin lists and replays. */
import { TRPCClientError } from '@trpc/client';
import { createClient } from '../../../router/client.js';
import { createConsumerQueue } from '../../../storage/consumerQueue.js';
import { progressEvent } from '../../../storage/progressEvent.js';
import { type ApiCluster, startApiCluster } from '../api/apiCluster.js';
import { enqueue, historyOf, jobOf, keys } from './failureHarness.js';

let cluster: ApiCluster;
beforeAll(async () => {
  cluster = await startApiCluster();
});
afterAll(() => cluster.stop());

/** Dead-letters a queued job the way a worker does when its retries are used up. */
async function deadLetteredJob(): Promise<string> {
  const harness = { redis: cluster.redis, processes: [] };
  const id = await enqueue(harness, 'BTCUSDT');
  const queue = createConsumerQueue(cluster.redis.client, keys);
  const blocking = cluster.redis.client.duplicate();
  try {
    const entries = (await queue.readNew(blocking, 'test-consumer', 100, 100)).filter(
      (entry) => entry.analysisId === id,
    );
    const {
      claimed: [job],
    } = await queue.claimBatch(entries, () => 'test-token', 'test-consumer');
    const result = await queue.retry({
      analysisId: id,
      entryId: job!.entryId,
      ownerToken: 'test-token',
      error: 'candles: HTTP 500',
      node: 'test-consumer',
      maxRetries: 0,
      dueAt: Date.now(),
      event: progressEvent('queued', 'retrying', 0, 'retry'),
    });
    expect(result.outcome).toBe('dead-lettered');
    return id;
  } finally {
    blocking.disconnect();
  }
}

test('queue.deadLetters and queue.replay: admin only; a replayed job is queued with fresh attempts and keeps its history', async () => {
  const id = await deadLetteredJob();
  const user = createClient({ url: cluster.apis[0]!, token: await cluster.token('alice') });
  const admin = createClient({ url: cluster.apis[0]!, token: await cluster.token('root', { admin: true }) });
  try {
    await expect(user.api.queue.deadLetters.query()).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });
    await expect(user.api.queue.replay.mutate({ all: true })).rejects.toBeInstanceOf(TRPCClientError);

    const letters = await admin.api.queue.deadLetters.query();
    expect(letters).toEqual([
      expect.objectContaining({
        analysis_id: id,
        error: 'candles: HTTP 500',
        attempts: 0,
        history: [expect.objectContaining({ node: 'test-consumer', error: 'candles: HTTP 500' })],
      }),
    ]);

    await expect(admin.api.queue.replay.mutate({})).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
    expect(await admin.api.queue.replay.mutate({ analysis_id: id })).toEqual([{ analysis_id: id, replayed: true }]);
    await expect(admin.api.queue.replay.mutate({ analysis_id: id })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
    expect(await admin.api.queue.deadLetters.query()).toEqual([]);
    expect(await jobOf({ redis: cluster.redis, processes: [] }, id)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await historyOf({ redis: cluster.redis, processes: [] }, id)).toHaveLength(1);
  } finally {
    user.close();
    admin.close();
  }
});
