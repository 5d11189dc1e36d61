/**
 * The authorization matrix: every REST route and every procedure refuses a missing, malformed,
 * wrongly signed or expired token; a user never reaches another's jobs (NOT_FOUND for status,
 * cancel, progress and charts alike); admin procedures refuse user tokens; and an open
 * WebSocket is refused once its token expires.
 */
import { TRPCClientError } from '@trpc/client';
import { SignJWT } from 'jose';
import { createClient } from '../../../router/client.js';
import { startCandela, stopCandela } from '../../support/candelaProcess.js';
import { freePort } from '../../support/redisServer.js';
import { type ApiCluster, bearer, SECRET, startApiCluster } from './apiCluster.js';

let cluster: ApiCluster;
let api: string;
let aliceToken: string;
let bobToken: string;
let aliceJob: string;

const expiredToken = () =>
  new SignJWT({ admin: true })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('alice')
    .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
    .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
    .sign(new TextEncoder().encode(SECRET));
const wrongSignature = () =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('alice')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('another-secret-0123456789'));

let badTokens: [string, string | undefined][];

beforeAll(async () => {
  cluster = await startApiCluster();
  api = cluster.apis[0]!;
  aliceToken = await cluster.token('alice');
  bobToken = await cluster.token('bob');
  badTokens = [
    ['no token', undefined],
    ['malformed token', 'not.a.jwt'],
    ['wrong signature', await wrongSignature()],
    ['expired token', await expiredToken()],
  ];
  const client = createClient({ url: api, token: aliceToken });
  aliceJob = (await client.api.analysis.queue.mutate({ symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' }))
    .analysis_id;
  client.close();
});
afterAll(() => cluster.stop());

const restRoutes = (): [string, string, unknown?][] => [
  ['POST', '/analyze/BTCUSDT/1h', { user_id: 'alice', timeframe: '7d' }],
  ['POST', '/analyze-immediate/BTCUSDT/1h', { user_id: 'alice', timeframe: '7d' }],
  ['GET', '/analyze-stream/BTCUSDT/1h?user_id=alice&timeframe=7d'],
  ['GET', `/analysis/status/${aliceJob}?user_id=alice`],
  ['DELETE', `/analysis/cancel/${aliceJob}?user_id=alice`],
  ['GET', '/analysis/queue/stats'],
];

async function rest(
  method: string,
  path: string,
  body: unknown,
  token: string | undefined,
): Promise<{ status: number; body: { error: string; message: string } }> {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? bearer(token) : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { error: string; message: string } };
}

/** Runs one procedure call with the given token and returns its error code, or 'OK'. */
type Call = (client: ReturnType<typeof createClient>['api']) => Promise<unknown>;
const procedures = (): [string, Call][] => [
  ['analysis.queue', (c) => c.analysis.queue.mutate({ symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' })],
  ['analysis.immediate', (c) => c.analysis.immediate.mutate({ symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' })],
  ['analysis.status', (c) => c.analysis.status.query({ analysis_id: aliceJob })],
  ['analysis.cancel', (c) => c.analysis.cancel.mutate({ analysis_id: aliceJob })],
  ['analysis.list', (c) => c.analysis.list.query({})],
  ['queue.stats', (c) => c.queue.stats.query()],
  ['workers.list', (c) => c.workers.list.query()],
  ['analysis.progress', (c) => firstProgress(c, aliceJob)],
];

/** Subscribes over WebSocket and resolves with the first event, or rejects with the subscription's error. */
function firstProgress(client: ReturnType<typeof createClient>['api'], analysisId: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const subscription = client.analysis.progress.subscribe(
      { analysis_id: analysisId },
      {
        onData: (data) => {
          subscription.unsubscribe();
          resolve(data);
        },
        onError: (error) => {
          subscription.unsubscribe();
          reject(error);
        },
      },
    );
  });
}

async function codeOf(call: Call, token: string | undefined): Promise<string> {
  const client = createClient({ url: api, token });
  try {
    await call(client.api);
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCClientError)
      return String((error.data as { code?: string } | undefined)?.code ?? error.message);
    throw error;
  } finally {
    client.close();
  }
}

test.each(['no token', 'malformed token', 'wrong signature', 'expired token'])(
  'every REST route refuses %s with 401',
  async (label) => {
    const token = badTokens.find(([name]) => name === label)![1];
    for (const [method, path, body] of restRoutes()) {
      const reply = await rest(method, path, body, token);
      expect({ route: `${method} ${path}`, status: reply.status, error: reply.body.error }).toEqual({
        route: `${method} ${path}`,
        status: 401,
        error: 'UNAUTHORIZED',
      });
    }
  },
);

test.each(['no token', 'malformed token', 'wrong signature', 'expired token'])(
  'every procedure refuses %s with UNAUTHORIZED',
  async (label) => {
    const token = badTokens.find(([name]) => name === label)![1];
    for (const [name, call] of procedures())
      expect({ name, code: await codeOf(call, token) }).toEqual({ name, code: 'UNAUTHORIZED' });
  },
);

test("another user's job is NOT_FOUND for status, cancel and progress, over REST and tRPC", async () => {
  for (const [method, path] of [
    ['GET', `/analysis/status/${aliceJob}`],
    ['DELETE', `/analysis/cancel/${aliceJob}`],
  ] as const) {
    const reply = await rest(method, path, undefined, bobToken);
    expect({ path, status: reply.status }).toEqual({ path, status: 404 });
    expect(reply.body.message).toMatch(/^analysis_id: /);
  }
  for (const [name, call] of procedures().filter(([procedure]) =>
    ['analysis.status', 'analysis.cancel', 'analysis.progress'].includes(procedure),
  )) {
    expect({ name, code: await codeOf(call, bobToken) }).toEqual({ name, code: 'NOT_FOUND' });
  }
  const list = createClient({ url: api, token: bobToken });
  expect((await list.api.analysis.list.query({})).analyses.map((job) => job.analysis_id)).not.toContain(aliceJob);
  list.close();
  // Alice's job is still queued: Bob's cancel wrote nothing.
  expect((await rest('GET', `/analysis/status/${aliceJob}`, undefined, aliceToken)).body).toMatchObject({
    status: 'queued',
  });
});

test("another user's chart is 404: only a signed link opens a chart", async () => {
  const immediate = await rest('POST', '/analyze-immediate/BTCUSDT/1h', { timeframe: '7d' }, aliceToken);
  const imageUrl = (immediate.body as unknown as { image_url: string }).image_url;
  const id = /analysis_[0-9A-Z]{26}/.exec(imageUrl)![0];
  expect((await fetch(`${api}${imageUrl}`)).status).toBe(200);
  expect((await fetch(`${api}/charts/${id}.png`, { headers: bearer(bobToken) })).status).toBe(404);
  expect((await fetch(`${api}/charts/${id}.svg`, { headers: bearer(aliceToken) })).status).toBe(404);
});

test('a user_id that does not match the token is FORBIDDEN and names user_id', async () => {
  for (const [method, path, body] of restRoutes().filter(
    ([, path]) => path.includes('user_id') || path.startsWith('/analyze'),
  )) {
    const reply = await rest(
      method,
      path.replace('user_id=alice', 'user_id=mallory'),
      body ? { ...body, user_id: 'mallory' } : undefined,
      aliceToken,
    );
    expect({ path, status: reply.status, message: reply.body.message }).toEqual({
      path,
      status: 403,
      message: 'user_id: does not match the token',
    });
  }
});

test('a user token is FORBIDDEN on admin procedures; an admin token is accepted', async () => {
  expect(await codeOf((c) => c.workers.list.query(), aliceToken)).toBe('FORBIDDEN');
  expect(await codeOf((c) => c.workers.list.query(), await cluster.token('root', { admin: true }))).toBe('OK');
});

test('an open WebSocket is refused once its token expires: expiry is checked on every call', async () => {
  const shortLived = await cluster.token('alice', { expiresIn: '2s' });
  const client = createClient({ url: api, token: shortLived });
  try {
    expect(await firstProgress(client.api, aliceJob)).toMatchObject({ data: { status: 'queued' } }); // opens the socket while the token is valid
    const stillOpen = new Promise<void>((resolve) => {
      // Keep one subscription on the socket so the lazy client does not close it.
      client.api.analysis.progress.subscribe({ analysis_id: aliceJob }, { onStarted: () => resolve() });
    });
    await stillOpen;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await expect(firstProgress(client.api, aliceJob)).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
  } finally {
    client.close();
  }
});

describe('AUTH_MODE=none', () => {
  test('is refused unless the server listens on loopback only', async () => {
    const api = startCandela(['api'], { REDIS_URL: cluster.redis.url, AUTH_MODE: 'none', HOST: '0.0.0.0', PORT: '0' });
    expect(await api.exited).toBe(1);
    expect(api.output()).toMatch(/AUTH_MODE=none .* only listens on loopback; HOST is 0\.0\.0\.0/);
  });

  test('on loopback it trusts user_id: each user still sees only their own jobs', async () => {
    const port = await freePort();
    const api = startCandela(['api'], {
      REDIS_URL: cluster.redis.url,
      AUTH_MODE: 'none',
      PORT: String(port),
      DATA_DIR: cluster.env.DATA_DIR!,
    });
    try {
      await api.waitForOutput(/api listening/);
      const base = `http://127.0.0.1:${port}`;
      const queued = (await (
        await fetch(`${base}/analyze/BTCUSDT/1h`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user_id: 'carol', timeframe: '7d' }),
        })
      ).json()) as { analysis_id: string };
      expect((await fetch(`${base}/analysis/status/${queued.analysis_id}?user_id=carol`)).status).toBe(200);
      expect((await fetch(`${base}/analysis/status/${queued.analysis_id}?user_id=dave`)).status).toBe(404);
    } finally {
      await stopCandela([api]);
    }
  });
});
