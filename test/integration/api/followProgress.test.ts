/**
 * The progress feed against a real redis-server: events published between the live listener
 * and the replay come once, a slow reader gets coalesced events (bounded memory, the terminal
 * event always kept), and the feed ends after the terminal event.
 */
import { followProgress } from '../../../router/progress/followProgress.js';
import { MAILBOX_CAPACITY } from '../../../router/progress/progressMailbox.js';
import { createConsumerQueue } from '../../../storage/consumerQueue.js';
import { createJobQueue } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { createProgressLog } from '../../../storage/progressLog.js';
import { progressEvent, type PublishedProgress } from '../../../storage/progressEvent.js';
import { useProgressHubRedis } from '../../support/progressHubRedis.js';

const keys = createKeys();
const stack = useProgressHubRedis(keys);

/** A queued job claimed by a fake consumer, so stage events can be appended through the real scripts. */
async function runningJob(): Promise<{ analysisId: string; stage(n: number): Promise<void>; finish(): Promise<void> }> {
  const queue = createJobQueue(stack.redis.client, keys);
  const workers = createConsumerQueue(stack.redis.client, keys);
  const { analysisId } = await queue.enqueue({ user_id: 'alice', symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' });
  const blocking = stack.redis.client.duplicate();
  const entries = (await workers.readNew(blocking, 'c1', 100, 100)).filter((entry) => entry.analysisId === analysisId);
  blocking.disconnect();
  const {
    claimed: [claimed],
  } = await workers.claimBatch(entries, () => 'owner', 'c1');
  return {
    analysisId,
    stage: async (n) =>
      void (await workers.appendProgress(
        analysisId,
        'owner',
        progressEvent('processing', 'patterns', Math.min(0.9, n / 100), `stage ${n}`),
      )),
    finish: async () =>
      void (await workers.finishWithStatus([
        {
          analysisId,
          entryId: claimed!.entryId,
          ownerToken: 'owner',
          status: 'completed',
          result: {},
          event: progressEvent('completed', 'finished', 1, 'done'),
        },
      ])),
  };
}

const feedFor = (analysisId: string, lastEventId?: string, backlog = () => 0) =>
  followProgress({
    hub: stack.hub,
    log: createProgressLog(stack.redis.client, keys),
    queue: createJobQueue(stack.redis.client, keys),
    analysisId,
    lastEventId,
    signal: new AbortController().signal,
    outboundBacklog: backlog,
  });

async function drain(feed: AsyncGenerator<PublishedProgress, void>): Promise<PublishedProgress[]> {
  const all: PublishedProgress[] = [];
  for await (const message of feed) all.push(message);
  return all;
}

test('events appended while the replay is being read arrive once, in order, and the feed ends after the terminal one', async () => {
  const job = await runningJob();
  const feed = feedFor(job.analysisId);
  const first = await feed.next(); // listening now; the replay has been read
  expect(first.value).toMatchObject({ event: { status: 'queued' } });
  for (let n = 1; n <= 3; n += 1) await job.stage(n); // published live and in the log
  await job.finish();
  const rest = await drain(feed);
  const ids = [first.value as PublishedProgress, ...rest].map((message) => message.event_id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toEqual((await stack.redis.client.xrange(keys.progress(job.analysisId), '-', '+')).map(([id]) => id));
  expect(rest.at(-1)!.event.status).toBe('completed');
  expect(stack.hub.listenerCount()).toBe(0);
});

test('a reader whose socket is backed up gets coalesced events: bounded, newest kept, terminal never dropped', async () => {
  const job = await runningJob();
  let backedUp = false;
  const feed = feedFor(job.analysisId, undefined, () => (backedUp ? 1e9 : 0));
  const replayed: PublishedProgress[] = [];
  // The replay (queued, processing) is read while the socket has room; then the socket backs up.
  replayed.push((await feed.next()).value as PublishedProgress, (await feed.next()).value as PublishedProgress);
  backedUp = true;
  const pending = feed.next();
  for (let n = 1; n <= 50; n += 1) await job.stage(n);
  await job.finish();
  await new Promise((resolve) => setTimeout(resolve, 100)); // let the published events reach the hub
  backedUp = false;
  const live = [(await pending).value as PublishedProgress, ...(await drain(feed))];
  expect(live.length).toBeLessThanOrEqual(MAILBOX_CAPACITY);
  expect(live.at(-1)!.event.status).toBe('completed');
  expect(live.at(-2)!.event.message).toBe('stage 50');
  const ids = live.map((message) => message.event_id);
  // Stream ids order by time, then sequence, as numbers ('…-10' comes after '…-9').
  const byStreamOrder = (a: string, b: string) => {
    const [aTime, aSeq] = a.split('-').map(Number) as [number, number];
    const [bTime, bSeq] = b.split('-').map(Number) as [number, number];
    return aTime - bTime || aSeq - bSeq;
  };
  expect([...ids].sort(byStreamOrder)).toEqual(ids);
  expect(replayed.map((message) => message.event.status)).toEqual(['queued', 'processing']);
});

test('resuming after the terminal event yields nothing and ends', async () => {
  const job = await runningJob();
  await job.finish();
  const all = await drain(feedFor(job.analysisId));
  expect(await drain(feedFor(job.analysisId, all.at(-1)!.event_id))).toEqual([]);
});

test('the replay waits while the socket is backed up, instead of queuing the whole log on it', async () => {
  const job = await runningJob();
  for (let n = 1; n <= 5; n += 1) await job.stage(n);
  let backedUp = true;
  const feed = feedFor(job.analysisId, undefined, () => (backedUp ? 1e9 : 0));
  let delivered = 0;
  const first = feed.next().then((result) => {
    delivered += 1;
    return result;
  });
  await new Promise((resolve) => setTimeout(resolve, 150));
  expect(delivered).toBe(0);
  backedUp = false;
  expect((await first).value).toMatchObject({ event: { status: 'queued' } });
  await job.finish();
  const rest = await drain(feed);
  expect(rest.map((message) => message.event.message).slice(1, 6)).toEqual([
    'stage 1',
    'stage 2',
    'stage 3',
    'stage 4',
    'stage 5',
  ]);
  expect(rest.at(-1)!.event.status).toBe('completed');
});
