/** Bad input for every field, over REST and tRPC: a 4xx whose message names the field, and nothing written to the stream. */
import { TRPCClientError } from '@trpc/client';
import { createClient } from '../../../router/client.js';
import { createKeys } from '../../../storage/keys.js';
import { type ApiCluster, bearer, startApiCluster } from './apiCluster.js';

const keys = createKeys();
let cluster: ApiCluster;
let api: string;
let alice: Record<string, string>;
let token: string;

beforeAll(async () => {
  cluster = await startApiCluster({ env: { ANALYSIS_MAX_ACTIVE_JOBS_PER_USER: '3' } });
  api = cluster.apis[0]!;
  token = await cluster.token('alice');
  alice = bearer(token);
});
afterAll(() => cluster.stop());

const streamLength = () => cluster.redis.client.xlen(keys.stream);

async function expectRefused(
  method: string,
  path: string,
  body: string | undefined,
  status: number,
  field: string,
): Promise<void> {
  const before = await streamLength();
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...alice },
    body,
  });
  const reply = (await response.json()) as { message: string };
  expect({ path, body, status: response.status, message: reply.message }).toEqual({
    path,
    body,
    status,
    message: expect.stringMatching(new RegExp(`(^|; )${field}: `)),
  });
  expect(await streamLength()).toBe(before);
}

const analyze = (symbol: string, interval: string, body: unknown) =>
  ['POST', `/analyze/${symbol}/${interval}`, JSON.stringify(body)] as const;

test.each([
  ['symbol', analyze('btcusdt', '1h', { timeframe: '7d' })],
  ['symbol', analyze('B', '1h', { timeframe: '7d' })],
  ['symbol', analyze('BTC%2FUSDT', '1h', { timeframe: '7d' })],
  ['symbol', analyze('A'.repeat(21), '1h', { timeframe: '7d' })],
  ['interval', analyze('BTCUSDT', '7m', { timeframe: '7d' })],
  ['interval', analyze('BTCUSDT', '1H', { timeframe: '7d' })],
  ['timeframe', analyze('BTCUSDT', '1h', { timeframe: 'seven days' })],
  ['timeframe', analyze('BTCUSDT', '1h', { timeframe: 7 })],
  ['timeframe', analyze('BTCUSDT', '1m', { timeframe: '1y' })],
  ['timeframe', analyze('BTCUSDT', '1d', { timeframe: '1h' })],
  ['idempotency_key', analyze('BTCUSDT', '1h', { timeframe: '7d', idempotency_key: 'has spaces' })],
  ['body', ['POST', '/analyze/BTCUSDT/1h', '{"timeframe": "7d"']],
  ['body', ['POST', '/analyze/BTCUSDT/1h', '["7d"]']],
  ['body', ['POST', '/analyze-immediate/BTCUSDT/1h', 'not json']],
  ['path', ['POST', '/analyze/%E0%A4%A/1h', '{}']],
  ['symbol', ['GET', '/analyze-stream/btc/1h?timeframe=7d', undefined]],
  ['timeframe', ['GET', '/analyze-stream/BTCUSDT/1h?timeframe=0d', undefined]],
  ['analysis_id', ['GET', '/analysis/status/not-an-id', undefined]],
  ['analysis_id', ['GET', '/analysis/status/analysis_01J%2F..%2F..', undefined]],
  ['analysis_id', ['DELETE', '/analysis/cancel/analysis_123', undefined]],
] as const)('REST: bad %s is a 400 naming it', async (field, [method, path, body]) => {
  await expectRefused(method, path, body, 400, field);
});

test('REST: a user_id that is not a valid id is a 400 naming user_id (checked before it is compared with the token)', async () => {
  await expectRefused(
    'POST',
    '/analyze/BTCUSDT/1h',
    JSON.stringify({ user_id: '../../etc', timeframe: '7d' }),
    400,
    'user_id',
  );
});

test('REST: a body over 16 KB is 413 and writes nothing', async () => {
  await expectRefused(
    'POST',
    '/analyze/BTCUSDT/1h',
    JSON.stringify({ timeframe: '7d', padding: 'x'.repeat(17 * 1024) }),
    413,
    'body',
  );
});

test('tRPC over HTTP: a body over 16 KB is refused with 413', async () => {
  const before = await streamLength();
  const response = await fetch(`${api}/trpc/analysis.queue`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...alice },
    body: JSON.stringify({ symbol: 'BTCUSDT', interval: '1h', padding: 'x'.repeat(17 * 1024) }),
  });
  expect(response.status).toBe(413);
  expect(await streamLength()).toBe(before);
});

async function trpcError(
  call: (client: ReturnType<typeof createClient>['api']) => Promise<unknown>,
): Promise<{ code: string; message: string; fields: unknown }> {
  const client = createClient({ url: api, token });
  try {
    await call(client.api);
    throw new Error('the call succeeded');
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    const data = error.data as { code: string; fields?: unknown };
    return { code: data.code, message: error.message, fields: data.fields };
  } finally {
    client.close();
  }
}

test.each([
  [
    'symbol',
    (c: ReturnType<typeof createClient>['api']) =>
      c.analysis.queue.mutate({ symbol: 'btc', interval: '1h', timeframe: '7d' }),
  ],
  [
    'interval',
    (c: ReturnType<typeof createClient>['api']) =>
      c.analysis.queue.mutate({ symbol: 'BTCUSDT', interval: '2m' as '1m', timeframe: '7d' }),
  ],
  [
    'timeframe',
    (c: ReturnType<typeof createClient>['api']) =>
      c.analysis.immediate.mutate({ symbol: 'BTCUSDT', interval: '1h', timeframe: '7 days' }),
  ],
  ['analysis_id', (c: ReturnType<typeof createClient>['api']) => c.analysis.status.query({ analysis_id: 'x' })],
  ['analysis_id', (c: ReturnType<typeof createClient>['api']) => c.analysis.cancel.mutate({ analysis_id: '' })],
  ['limit', (c: ReturnType<typeof createClient>['api']) => c.analysis.list.query({ limit: 1000 })],
])('tRPC: bad %s is BAD_REQUEST naming the field, with the field in data.fields', async (field, call) => {
  const before = await streamLength();
  const error = await trpcError(call);
  expect(error.code).toBe('BAD_REQUEST');
  expect(error.message).toMatch(new RegExp(`^${field}: `));
  expect(error.fields).toHaveProperty(field);
  expect(await streamLength()).toBe(before);
});

test('tRPC: a bad lastEventId on the progress subscription is BAD_REQUEST naming it', async () => {
  const client = createClient({ url: api, token });
  const queued = await client.api.analysis.queue.mutate({ symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' });
  const error = await new Promise<TRPCClientError<never>>((resolve) => {
    client.api.analysis.progress.subscribe(
      { analysis_id: queued.analysis_id, lastEventId: 'yesterday' },
      { onError: (failure) => resolve(failure as TRPCClientError<never>) },
    );
  });
  client.close();
  expect(error.data).toMatchObject({ code: 'BAD_REQUEST' });
  expect(error.message).toMatch(/^lastEventId: /);
});

test('each user has a cap on queued + running jobs: 429 beyond it, and room again once one is cancelled', async () => {
  const user = bearer(await cluster.token('capped'));
  const queue = () =>
    fetch(`${api}/analyze/BTCUSDT/1h`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...user },
      body: JSON.stringify({ timeframe: '7d' }),
    });
  const accepted: string[] = [];
  for (let index = 0; index < 3; index += 1)
    accepted.push(((await (await queue()).json()) as { analysis_id: string }).analysis_id);
  const before = await streamLength();
  const refused = await queue();
  expect(refused.status).toBe(429);
  expect(((await refused.json()) as { message: string }).message).toMatch(
    /3 queued or processing analyses, the most allowed is 3/,
  );
  expect(await streamLength()).toBe(before);
  expect((await fetch(`${api}/analysis/cancel/${accepted[0]}`, { method: 'DELETE', headers: user })).status).toBe(200);
  expect((await queue()).status).toBe(202);
});
