/**
 * A job's new entry read while its last attempt is still being ended here, against a real
 * redis-server and a real consumer actor. The retry write of a failed attempt ran but its
 * reply was lost, so the consumer still holds the attempt and sends the retry again after a
 * pause; meanwhile the retry came due and its new entry reached this consumer. Claimed then,
 * it opened a run that no job actor ran (the attempt's actor had ended), the re-sent retry was
 * fenced out by it, and the next takeover counted that run as a crash of this live worker.
 */
import { type ConsumerMessage } from '../../../actors/consumerActor.js';
import { send } from '../../../actors/typedActor.js';
import { createConsumerQueue, type ConsumerQueue } from '../../../storage/consumerQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { createRetrySchedule } from '../../../storage/retrySchedule.js';
import { manualClock } from '../../support/manualClock.js';
import { useQueueRedis } from '../../support/redisServer.js';
import { waitFor } from '../../support/waitFor.js';
import { enqueueOne, recordingJobs, startConsumerUnderTest } from './consumerUnderTest.js';

const keys = createKeys();
const redis = useQueueRedis(keys);

/** Consumers named as worker nodes name them: `{worker}-c{n}`. */
const CONSUMER = 'worker-host-a-101-c0';
const OTHER = 'worker-host-b-202-c0';

/** The production queue, except that the reply of its first retry write is lost; it notes what it read and each retry answered. */
function losingFirstRetryReply(queue: ConsumerQueue) {
  const read: string[] = [];
  let retries = 0;
  const wrapped: ConsumerQueue = {
    ...queue,
    async readNew(blocking, consumer, count, blockMs) {
      const entries = await queue.readNew(blocking, consumer, count, blockMs);
      read.push(...entries.map((entry) => entry.entryId));
      return entries;
    },
    async retry(request) {
      const result = await queue.retry(request);
      retries += 1;
      if (retries === 1) throw new Error('Connection is closed.');
      return result;
    },
  };
  return { queue: wrapped, read, retries: () => retries };
}

test('a new entry of a job whose attempt is still being ended here is not claimed, so no run is left open without a job actor', async () => {
  const analysisId = await enqueueOne(redis.client, keys);
  const started: string[] = [];
  const clock = manualClock(Date.now());
  const losing = losingFirstRetryReply(createConsumerQueue(redis.client, keys, { maxDeliveries: 3 }));
  // Each attempt fails at once, retryably.
  const failing = recordingJobs(started, (options) =>
    options.onOutcome({ status: 'failed', error: 'upstream timed out', retryable: true }),
  );
  const { consumer, status, stop } = startConsumerUnderTest({
    redis: redis.client,
    name: CONSUMER,
    queue: losing.queue,
    spawnJob: failing,
    clock,
    retryDelayMs: 0,
  });
  /** Every message already sent to the consumer has been handled, and every command it sent on the shared connection answered. */
  const settled = async () => {
    await status();
    await redis.client.ping();
    await status();
  };
  let newEntry: string | undefined;
  try {
    send<ConsumerMessage>(consumer, { type: 'consumer.poll' });
    // The attempt failed, its retry was scheduled in Redis, and the consumer heard an error.
    await waitFor(() => losing.retries() === 1 && clock.pendingTimers() > 0, 10_000, 'the retry write to fail');
    expect(started).toEqual([analysisId]);
    const firstEntry = losing.read[0]!;
    // The retry comes due; its new entry reaches the consumer while it still holds the attempt.
    expect(await createRetrySchedule(redis.client, keys).moveDue(Date.now(), 10)).toEqual([analysisId]);
    await waitFor(() => losing.read.length > 1, 10_000, 'the new entry to be read');
    newEntry = losing.read[1]!;
    expect(newEntry).not.toBe(firstEntry);
    await settled();
    // The retry write is sent again: the attempt ends here.
    clock.advance(60_000);
    await waitFor(() => losing.retries() === 2, 10_000, 'the retry write to be sent again');
    await settled();
    expect(started).toEqual([analysisId]);
    expect(await redis.client.hget(keys.job(analysisId), 'run_owner')).toBeNull();
  } finally {
    stop();
  }

  // The new entry, left pending, is taken over once idle: no run of the live consumer is in doubt.
  const { entries } = await createConsumerQueue(redis.client, keys).takeOverIdle(OTHER, 0, 10, '0-0');
  const report = await createConsumerQueue(redis.client, keys).claimBatch(
    entries.filter((entry) => entry.analysisId === analysisId),
    () => `${OTHER}:1`,
    OTHER,
  );
  expect(report.skipped).toEqual([]);
  expect(report.claimed.map((job) => job.entryId)).toEqual([newEntry]);
  expect(await redis.client.hget(keys.job(analysisId), 'doubted_runs')).toBeNull();
});
