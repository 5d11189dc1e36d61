/**
 * One death counts once, against a real redis-server and a real consumer actor: a consumer
 * can be handed the same taken-over entry twice before its claim of it has come back (two
 * reclaim sweeps, or a sweep and the consumer's own pending read at its start). Claiming it
 * twice put the consumer's own first run in doubt while that run went on under the second
 * claim, so when the worker then died, its one death counted as two crashed runs.
 */
import { type ConsumerMessage } from '../../../actors/consumerActor.js';
import { send } from '../../../actors/typedActor.js';
import { createConsumerQueue, type StreamEntry } from '../../../storage/consumerQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { manualClock } from '../../support/manualClock.js';
import { useQueueRedis } from '../../support/redisServer.js';
import { waitFor } from '../../support/waitFor.js';
import { enqueueOne, recordingJobs, startConsumerUnderTest } from './consumerUnderTest.js';

const keys = createKeys();
const redis = useQueueRedis(keys);

/** Three dead runs are poison: the dead first worker's and the second worker's one run make two. */
const MAX_DELIVERIES = 3;
const queue = () => createConsumerQueue(redis.client, keys, { maxDeliveries: MAX_DELIVERIES });
/** Consumers named as worker nodes name them: `{worker}-c{n}`. */
const FIRST = 'worker-host-a-101-c0';
const SECOND = 'worker-host-b-202-c0';
const THIRD = 'worker-host-c-303-c0';
const processOf = (token: string) => /^(.*)-c\d+:/.exec(token)?.[1];

test('a consumer handed the same taken-over entry twice claims it once, so its death counts as one crashed run', async () => {
  const analysisId = await enqueueOne(redis.client, keys);
  // The first worker claims the job and dies with it.
  const reader = redis.client.duplicate();
  const read = await queue().readNew(reader, FIRST, 10, 100);
  reader.disconnect();
  expect((await queue().claimBatch(read, () => `${FIRST}:1`, FIRST)).claimed).toHaveLength(1);

  // The second worker's reclaimer takes the idle entry over for its consumer.
  const { entries } = await queue().takeOverIdle(SECOND, 0, 10, '0-0');
  const taken: StreamEntry[] = entries.filter((entry) => entry.analysisId === analysisId);
  expect(taken).toHaveLength(1);

  const started: string[] = [];
  // Job actors run until aborted: the worker dies while they run.
  const { consumer, status, stop } = startConsumerUnderTest({
    redis: redis.client,
    name: SECOND,
    queue: queue(),
    spawnJob: recordingJobs(started),
    // Never advanced: no claim refresh runs, as in a worker whose event loop stalled and then died.
    clock: manualClock(Date.now()),
    retryDelayMs: 1000,
  });
  try {
    // Both deliveries reach the consumer before its claim of the first has come back.
    send<ConsumerMessage>(consumer, { type: 'entries.reclaimed', entries: taken });
    send<ConsumerMessage>(consumer, { type: 'entries.reclaimed', entries: taken });
    await waitFor(() => started.length > 0, 10_000, 'the job actor to start');
    // Every claim the consumer sent went out before that start, on this connection: a round trip
    // on it, then one through the consumer's mailbox, and every claim reply has been handled.
    await redis.client.ping();
    await status();
    expect(started).toEqual([analysisId]);
  } finally {
    stop();
  }

  // The second worker died while running the job: the third worker's takeover finds one run of it.
  const { entries: orphaned } = await queue().takeOverIdle(THIRD, 0, 10, '0-0');
  const report = await queue().claimBatch(
    orphaned.filter((entry) => entry.analysisId === analysisId),
    () => `${THIRD}:1`,
    THIRD,
  );
  const doubted = ((await redis.client.hget(keys.job(analysisId), 'doubted_runs')) ?? '').split(' ');
  expect(doubted.map(processOf)).toEqual(['worker-host-a-101', 'worker-host-b-202']);
  expect(report.skipped).toEqual([]);
  expect(report.claimed).toHaveLength(1);
  expect(await redis.client.hget(keys.job(analysisId), 'status')).toBe('processing');
});
