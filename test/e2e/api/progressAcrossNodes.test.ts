/**
 * Live progress across API nodes: one worker, two API processes. A subscriber on node 2 sees
 * every stage of a job queued on node 1; a subscriber that drops and comes back (on either
 * node) with lastEventId misses nothing and sees nothing twice; the subscription ends after
 * the terminal event.
 */
import { createClient } from '../../../router/client.js';
import { createKeys } from '../../../storage/keys.js';
import type { ProgressEvent } from '../../../storage/progressEvent.js';
import { type ApiCluster, startApiCluster } from './apiCluster.js';

const keys = createKeys();
let cluster: ApiCluster;
let token: string;

beforeAll(async () => {
  cluster = await startApiCluster({ apiNodes: 2, workers: 1 });
  token = await cluster.token('alice');
});
afterAll(() => cluster.stop());

interface Received {
  id: string;
  event: ProgressEvent;
}

/** Subscribes on one node; resolves when the server ends the subscription, or when `stopAfter` says so (then it drops the socket). */
function follow(
  url: string,
  analysisId: string,
  lastEventId: string | undefined,
  stopAfter: (event: ProgressEvent) => boolean = () => false,
): Promise<{ events: Received[]; completed: boolean }> {
  const client = createClient({ url, token });
  const events: Received[] = [];
  let dropped = false; // unsubscribing also calls onComplete: that is our drop, not the server's end
  return new Promise((resolve, reject) => {
    const subscription = client.api.analysis.progress.subscribe(
      { analysis_id: analysisId, lastEventId },
      {
        onData: ({ id, data }) => {
          events.push({ id, event: data });
          if (stopAfter(data)) {
            dropped = true;
            subscription.unsubscribe();
            client.close();
            resolve({ events, completed: false });
          }
        },
        onComplete: () => {
          client.close();
          resolve({ events, completed: !dropped });
        },
        onError: (error) => {
          client.close();
          reject(error);
        },
      },
    );
  });
}

async function loggedIds(analysisId: string): Promise<string[]> {
  return (await cluster.redis.client.xrange(keys.progress(analysisId), '-', '+')).map(([id]) => id);
}

test('a subscriber on node 2 sees every stage of a job queued on node 1, then the subscription ends', async () => {
  const [node1, node2] = cluster.apis as [string, string];
  const producer = createClient({ url: node1, token });
  const { analysis_id: id } = await producer.api.analysis.queue.mutate({
    symbol: 'BTCUSDT',
    interval: '15m',
    timeframe: '30d',
  });
  producer.close();

  const { events, completed } = await follow(node2, id, undefined);
  expect(completed).toBe(true);
  expect(events.map(({ event }) => event.stage)).toEqual([
    'queued',
    'started',
    'candles',
    'patterns',
    ...(events[4]!.event.stage === 'chart' ? ['chart', 'summary'] : ['summary', 'chart']),
    'finished',
  ]);
  expect(events.at(-1)!.event).toMatchObject({ status: 'completed', progress: 1 });
  const fractions = events.map(({ event }) => event.progress);
  expect(fractions[0]).toBe(0);
  expect(fractions.at(-1)).toBe(1);
  expect(events.map(({ id: eventId }) => eventId)).toEqual(await loggedIds(id));
});

test('a subscriber that drops and reconnects with lastEventId misses nothing and sees nothing twice, on either node', async () => {
  const [node1, node2] = cluster.apis as [string, string];
  const producer = createClient({ url: node1, token });
  // A long window (43,200 candles) so the job is still running while the subscriber is away.
  const { analysis_id: id } = await producer.api.analysis.queue.mutate({
    symbol: 'ETHUSDT',
    interval: '1m',
    timeframe: '30d',
  });
  producer.close();

  const first = await follow(node2, id, undefined, (event) => event.stage === 'started');
  expect(first.completed).toBe(false);
  await new Promise((resolve) => setTimeout(resolve, 300)); // events keep coming while nobody listens
  const second = await follow(node1, id, first.events.at(-1)!.id);
  expect(second.completed).toBe(true);

  const seen = [...first.events, ...second.events].map(({ id: eventId }) => eventId);
  expect(new Set(seen).size).toBe(seen.length);
  expect(seen).toEqual(await loggedIds(id));
  expect(second.events.at(-1)!.event.status).toBe('completed');

  // Coming back after the end with the last id: nothing more, and the subscription ends at once.
  const after = await follow(node2, id, seen.at(-1));
  expect(after).toEqual({ events: [], completed: true });
});

test('many subscribers of one job across both nodes each get the whole sequence once', async () => {
  const producer = createClient({ url: cluster.apis[0]!, token });
  const { analysis_id: id } = await producer.api.analysis.queue.mutate({
    symbol: 'SOLUSDT',
    interval: '1h',
    timeframe: '90d',
  });
  producer.close();
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, index) => follow(cluster.apis[index % 2]!, id, undefined)),
  );
  const logged = await loggedIds(id);
  for (const result of results) expect(result.events.map(({ id: eventId }) => eventId)).toEqual(logged);
});
