/**
 * A claim that failed is retried with the owner tokens it first used, against a real
 * redis-server and a real consumer actor. The claim may well have run in Redis with only its
 * reply lost (the connection dropped): retried with new tokens, it found the job's run opened
 * by its first token, a run of this very consumer, and put it in doubt, so the poison limit
 * counted a crash that never happened.
 */
import { type ConsumerMessage } from '../../../actors/consumerActor.js';
import { send } from '../../../actors/typedActor.js';
import { createConsumerQueue, type ConsumerQueue } from '../../../storage/consumerQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { manualClock } from '../../support/manualClock.js';
import { useQueueRedis } from '../../support/redisServer.js';
import { waitFor } from '../../support/waitFor.js';
import { enqueueOne, recordingJobs, startConsumerUnderTest } from './consumerUnderTest.js';

const keys = createKeys();
const redis = useQueueRedis(keys);

/** Consumers named as worker nodes name them: `{worker}-c{n}`. */
const CONSUMER = 'worker-host-a-101-c0';

/** The production queue, except that the reply of its first claim is lost: the claim runs in Redis, the caller hears an error. */
function losingFirstClaimReply(queue: ConsumerQueue): { queue: ConsumerQueue; lost: () => number } {
  let lost = 0;
  return {
    queue: {
      ...queue,
      async claimBatch(entries, ownerTokenFor, consumer) {
        const report = await queue.claimBatch(entries, ownerTokenFor, consumer);
        if (lost > 0) return report;
        lost += 1;
        throw new Error('Connection is closed.');
      },
    },
    lost: () => lost,
  };
}

test('a claim whose reply was lost is retried with its first tokens: the run it opened is not put in doubt', async () => {
  const analysisId = await enqueueOne(redis.client, keys);
  const reader = redis.client.duplicate();
  const read = await createConsumerQueue(redis.client, keys).readNew(reader, CONSUMER, 10, 100);
  reader.disconnect();
  expect(read.map((entry) => entry.analysisId)).toEqual([analysisId]);

  const started: string[] = [];
  const clock = manualClock(Date.now());
  const losing = losingFirstClaimReply(createConsumerQueue(redis.client, keys, { maxDeliveries: 3 }));
  const { consumer, stop } = startConsumerUnderTest({
    redis: redis.client,
    name: CONSUMER,
    queue: losing.queue,
    spawnJob: recordingJobs(started),
    clock,
    retryDelayMs: 1000,
  });
  try {
    send<ConsumerMessage>(consumer, { type: 'entries.read', entries: read });
    // The first claim ran and its failure was heard: the retry waits on the clock.
    await waitFor(() => losing.lost() === 1 && clock.pendingTimers() > 0, 10_000, 'the claim to fail');
    expect(started).toEqual([]);
    const firstToken = await redis.client.hget(keys.job(analysisId), 'run_owner');
    expect(firstToken).toMatch(new RegExp(`^${CONSUMER}:`));
    clock.advance(60_000);
    await waitFor(() => started.length > 0, 10_000, 'the job actor to start');
    expect(started).toEqual([analysisId]);
    const [runOwner, owner, doubted] = await redis.client.hmget(
      keys.job(analysisId),
      'run_owner',
      'owner',
      'doubted_runs',
    );
    expect(doubted).toBeNull();
    expect(runOwner).toBe(firstToken);
    expect(owner).toBe(firstToken);
  } finally {
    stop();
  }
});
