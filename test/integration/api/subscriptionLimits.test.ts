/** Progress subscriptions are limited per connection and per user; a closed one gives its slot back. */
import { TRPCError } from '@trpc/server';
import { type InProcessApi, startInProcessApi } from './inProcessApi.js';

let api: InProcessApi;
let token: string;
let analysisId: string;
beforeAll(async () => {
  api = await startInProcessApi({ API_MAX_SUBSCRIPTIONS_PER_CONNECTION: '3', API_MAX_SUBSCRIPTIONS_PER_USER: '5' });
  token = await api.token('alice');
  analysisId = (await api.caller(token).analysis.queue({ symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' }))
    .analysis_id;
});
afterAll(() => api.stop());

/** Opens a subscription on `connection` and reads its first (replayed) event, which is when it holds its slot. */
async function open(connection: object) {
  const feed = (await api.caller(token, { connection }).analysis.progress({ analysis_id: analysisId }))[
    Symbol.asyncIterator
  ]();
  await feed.next();
  return feed;
}
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'opened',
    (error: unknown) => (error instanceof TRPCError ? `${error.code}: ${error.message}` : String(error)),
  );

test('a connection holds at most API_MAX_SUBSCRIPTIONS_PER_CONNECTION; closing one frees its slot', async () => {
  const connection = {};
  const feeds = [await open(connection), await open(connection), await open(connection)];
  expect(await refusal(open(connection))).toMatch(
    /^TOO_MANY_REQUESTS: subscriptions: at most 3 progress subscriptions per connection/,
  );
  await feeds[0]!.return?.(undefined);
  const again = await open(connection);
  for (const feed of [again, ...feeds]) await feed.return?.(undefined);
  expect(api.services.subscriptions.openFor('alice')).toBe(0);
});

test('a user holds at most API_MAX_SUBSCRIPTIONS_PER_USER over all connections', async () => {
  const feeds = [];
  for (let index = 0; index < 5; index += 1) feeds.push(await open({}));
  expect(await refusal(open({}))).toMatch(
    /^TOO_MANY_REQUESTS: subscriptions: at most 5 progress subscriptions per user/,
  );
  for (const feed of feeds) await feed.return?.(undefined);
  expect(api.services.subscriptions.openFor('alice')).toBe(0);
  await (await open({})).return?.(undefined);
});

test('an SSE stream counts against the user too, and is refused with 429 before the stream starts', async () => {
  const base = await api.serve();
  const feeds = [];
  for (let index = 0; index < 5; index += 1) feeds.push(await open({}));
  const response = await fetch(`${base}/analyze-stream/BTCUSDT/1h?timeframe=7d`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(429);
  expect(((await response.json()) as { message: string }).message).toMatch(/subscriptions: at most 5/);
  for (const feed of feeds) await feed.return?.(undefined);
});
