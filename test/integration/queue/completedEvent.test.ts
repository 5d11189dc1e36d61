/**
 * A completed job's result is stored once, in its record: the completed event in the log (and
 * on the channel) goes without it, and a follower sends the event with the result read from the
 * record, whether the job completed before it followed (replay) or while it did (live). An
 * event with data of its own keeps it.
 */
import { finishRequestFor } from '../../../actors/finishRequestFor.js';
import { followProgress } from '../../../router/progress/followProgress.js';
import { createConsumerQueue } from '../../../storage/consumerQueue.js';
import { createJobQueue } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { createProgressLog } from '../../../storage/progressLog.js';
import { progressEvent, type PublishedProgress } from '../../../storage/progressEvent.js';
import { useProgressHubRedis } from '../../support/progressHubRedis.js';

const keys = createKeys();
const stack = useProgressHubRedis(keys);

const request = { user_id: 'alice', symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' };
const result = {
  image_url: '/charts/a "quoted" chart.svg',
  llm_summary: 'up\nthen down',
  summary_source: 'rule-based' as const,
  analysis_data: { patterns: [{ name: 'doji', at: 3, confidence: 0.5 }], trend: null },
};

/** Queues `count` jobs and claims them for one consumer; returns the claims by analysis id. */
async function claimedJobs(count: number) {
  const producer = createJobQueue(stack.redis.client, keys);
  const workers = createConsumerQueue(stack.redis.client, keys);
  const ids: string[] = [];
  for (let n = 0; n < count; n += 1) ids.push((await producer.enqueue(request)).analysisId);
  const blocking = stack.redis.client.duplicate();
  try {
    const entries = (await workers.readNew(blocking, 'consumer-a', 100, 100)).filter((entry) =>
      ids.includes(entry.analysisId),
    );
    const { claimed } = await workers.claimBatch(entries, (entry) => `token-${entry.analysisId}`, 'consumer-a');
    expect(claimed).toHaveLength(count);
    return { ids, workers, claimOf: (id: string) => claimed.find((claim) => claim.record.analysis_id === id)! };
  } finally {
    blocking.disconnect();
  }
}

const follow = (analysisId: string) =>
  followProgress({
    hub: stack.hub,
    log: createProgressLog(stack.redis.client, keys),
    queue: createJobQueue(stack.redis.client, keys),
    analysisId,
    lastEventId: undefined,
    signal: new AbortController().signal,
    outboundBacklog: () => 0,
  });

async function drain(feed: AsyncGenerator<PublishedProgress, void>): Promise<PublishedProgress[]> {
  const all: PublishedProgress[] = [];
  for await (const message of feed) all.push(message);
  return all;
}

test('the logged completed event holds no result; a follower replaying it gets the result from the record', async () => {
  const { ids, workers, claimOf } = await claimedJobs(2);
  const [withResult, ownData] = ids as [string, string];
  await workers.finishWithStatus([
    finishRequestFor(withResult, claimOf(withResult), { status: 'completed', result }),
    {
      ...finishRequestFor(ownData, claimOf(ownData), { status: 'completed', result }),
      event: progressEvent('completed', 'finished', 1, 'analysis completed', { summary: 'not the result' }),
    },
  ]);

  const logged = await stack.redis.client.xrange(keys.progress(withResult), '-', '+');
  expect(JSON.stringify(logged.at(-1))).toContain('"status\\":\\"completed');
  expect(JSON.stringify(logged)).not.toContain('doji');

  expect((await drain(follow(withResult))).at(-1)?.event).toMatchObject({
    status: 'completed',
    data: JSON.parse(JSON.stringify(result)),
  });
  expect((await drain(follow(ownData))).at(-1)?.event).toEqual(
    expect.objectContaining({ status: 'completed', data: { summary: 'not the result' } }),
  );
});

test('a follower that sees the job complete live gets the completed event with its result', async () => {
  const { ids, workers, claimOf } = await claimedJobs(1);
  const analysisId = ids[0]!;
  const feed = follow(analysisId);
  const replayed: PublishedProgress[] = [];
  // The replay ends at the started event; after it, the feed waits for live events.
  while (replayed.at(-1)?.event.status !== 'processing') replayed.push((await feed.next()).value as PublishedProgress);
  const rest = drain(feed);
  await workers.finishWithStatus([finishRequestFor(analysisId, claimOf(analysisId), { status: 'completed', result })]);
  expect((await rest).at(-1)?.event).toMatchObject({ status: 'completed', data: JSON.parse(JSON.stringify(result)) });
});

test("overlapping reads of a completed job's record share one HGETALL; a later read asks Redis again", async () => {
  const { ids, workers, claimOf } = await claimedJobs(1);
  const analysisId = ids[0]!;
  await workers.finishWithStatus([finishRequestFor(analysisId, claimOf(analysisId), { status: 'completed', result })]);
  const log = createProgressLog(stack.redis.client, keys);
  const hgetallCalls = async () =>
    Number(/cmdstat_hgetall:calls=(\d+)/.exec(await stack.redis.client.info('commandstats'))?.[1] ?? 0);
  const before = await hgetallCalls();
  const [first, second] = await Promise.all([log.recordOf(analysisId), log.recordOf(analysisId)]);
  expect(first).toBe(second);
  expect(first).toMatchObject({ status: 'completed', llm_summary: result.llm_summary });
  expect((await hgetallCalls()) - before).toBe(1);
  await log.recordOf(analysisId);
  expect((await hgetallCalls()) - before).toBe(2);
});
