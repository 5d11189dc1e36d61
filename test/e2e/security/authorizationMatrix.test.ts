/**
 * The authorization matrix: every REST route, tRPC procedure (HTTP, HTTP subscription and
 * WebSocket) and the chart route, against every identity, on a real API with a real worker
 * that has completed Alice's and Bob's jobs. One test per cell; each names route and
 * identity. Another user's job is "not found" (never forbidden: its existence is not
 * revealed, not even to an admin, who is not its owner); admin procedures are forbidden to
 * users; a refused call writes nothing.
 */
import WebSocket from 'ws';
import { type ApiUnderTest, JOB_STREAM, startApiUnderTest, TEST_SECRET } from '../../support/apiUnderTest.js';
import { eventually } from '../../support/candelaProcess.js';
import { effectiveStatus, rawRequest } from '../../support/rawHttp.js';
import {
  badSubjectToken,
  expiredToken,
  tokenWithoutExpiry,
  unsignedToken,
  validToken,
  wronglySignedToken,
} from '../../support/tokenVariants.js';

const IDENTITIES = [
  'none',
  'malformed',
  'wrong signature',
  'expired',
  'no exp',
  'alg none',
  'invalid subject',
  'owner',
  'other user',
  'admin',
] as const;
type Identity = (typeof IDENTITIES)[number];
const REFUSED_IDENTITIES: Identity[] = [
  'none',
  'malformed',
  'wrong signature',
  'expired',
  'no exp',
  'alg none',
  'invalid subject',
];
const USERS: Identity[] = ['owner', 'other user', 'admin'];

let target: ApiUnderTest;
let tokens: Record<Identity, string | undefined>;
let aliceJob: string;
let bobJob: string;
/** The signed image_url Alice got for her chart, and the one Bob got for his. */
let aliceChart: string;
let bobChart: string;

interface JobView {
  status: string;
  updated_at: string;
  image_url: string | null;
}

const authHeader = (identity: Identity): Record<string, string> =>
  tokens[identity] === undefined ? {} : { authorization: `Bearer ${tokens[identity]}` };

async function completedJob(token: string, id: string): Promise<JobView> {
  return eventually(
    async () => {
      const response = await fetch(`${target.url}/analysis/status/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const job = (await response.json()) as JobView;
      if (job.status === 'failed' || job.status === 'cancelled') throw new Error(`job ${id} ended ${job.status}`);
      return job.status === 'completed' ? job : undefined;
    },
    90_000,
    `job ${id} to complete`,
  );
}

async function queueAs(token: string): Promise<string> {
  const response = await fetch(`${target.url}/analyze/BTCUSDT/1h`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: '{"timeframe":"7d"}',
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { analysis_id: string }).analysis_id;
}

beforeAll(async () => {
  target = await startApiUnderTest();
  tokens = {
    none: undefined,
    malformed: 'not.a.jwt',
    'wrong signature': await wronglySignedToken('alice'),
    expired: await expiredToken(TEST_SECRET, 'alice'),
    'no exp': await tokenWithoutExpiry(TEST_SECRET, 'alice'),
    'alg none': unsignedToken('alice'),
    'invalid subject': await badSubjectToken(TEST_SECRET, 'alice:x'),
    owner: await validToken(TEST_SECRET, 'alice'),
    'other user': await validToken(TEST_SECRET, 'bob'),
    admin: await validToken(TEST_SECRET, 'root', { admin: true }),
  };
  await target.startWorker();
  aliceJob = await queueAs(tokens.owner!);
  bobJob = await queueAs(tokens['other user']!);
  aliceChart = (await completedJob(tokens.owner!, aliceJob)).image_url!;
  bobChart = (await completedJob(tokens['other user']!, bobJob)).image_url!;
}, 120_000);

afterAll(async () => {
  await target?.stop();
});

/** What a refused call must not have changed: jobs ever added to the stream, job records, and Alice's finished job. */
async function writeState(): Promise<string> {
  const info = (await target.redis.client.call('XINFO', 'STREAM', JOB_STREAM)) as unknown[];
  const added = info[info.indexOf('entries-added') + 1];
  const jobKeys = await target.redis.client.keys('{market-analysis-jobs}:job:*');
  const alice = await target.redis.client.hgetall(`{market-analysis-jobs}:job:${aliceJob}`);
  return JSON.stringify({
    added,
    jobs: jobKeys.length,
    aliceStatus: alice.status,
    aliceUpdated: alice.updated_at,
    aliceCancel: alice.cancel_requested,
  });
}

/** One way to reach the API; resolves with the HTTP status (or the tRPC error's httpStatus) the identity got. */
type Attempt = (identity: Identity) => Promise<number>;

async function rest(method: string, path: string, identity: Identity, body?: string): Promise<number> {
  const controller = new AbortController();
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers: { ...authHeader(identity), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body,
    signal: controller.signal,
  });
  // Streams are judged by their status line; the rest would wait for the job.
  controller.abort();
  return response.status;
}

const trpcQuery = (procedure: string, input: unknown) => (identity: Identity) =>
  rest(
    'GET',
    `/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
    identity,
  );

/** A subscription over HTTP answers 200 and then `connected`, followed by data or a serialized error: the error's status counts. */
const trpcHttpSubscription = (procedure: string, input: unknown) => async (identity: Identity) => {
  const response = await rawRequest(target.url, {
    method: 'GET',
    path: `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`,
    headers: authHeader(identity),
  });
  if (
    response.status === 200 &&
    !/\ndata: (?!\{\}\n)/.test(response.body.replace(/^event: connected\ndata: \{\}\n\n/, ''))
  )
    throw new Error(`no event after connected: ${response.body.slice(0, 300)}`);
  return effectiveStatus(response);
};
const trpcMutation = (procedure: string, input: unknown) => (identity: Identity) =>
  rest('POST', `/trpc/${procedure}`, identity, JSON.stringify(input));

/** A call over WebSocket with the token in connectionParams, as the client library sends it; the first reply decides. */
function overWebSocket(
  method: 'query' | 'mutation' | 'subscription',
  path: string,
  input: unknown,
  form: 'token' | 'authorization' = 'token',
): Attempt {
  return (identity) =>
    new Promise((resolve, reject) => {
      const socket = new WebSocket(`${target.url.replace(/^http/, 'ws')}/trpc?connectionParams=1`);
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error(`no reply over WebSocket to ${method} ${path}`));
      }, 15_000);
      const finish = (status: number) => {
        clearTimeout(timer);
        socket.close();
        resolve(status);
      };
      socket.on('open', () => {
        socket.send(
          JSON.stringify({
            method: 'connectionParams',
            data:
              tokens[identity] === undefined
                ? {}
                : form === 'token'
                  ? { token: tokens[identity] }
                  : { authorization: `Bearer ${tokens[identity]}` },
          }),
        );
        socket.send(JSON.stringify({ id: 1, method, params: { path, input } }));
      });
      socket.on('message', (raw: Buffer) => {
        const reply = JSON.parse(raw.toString()) as {
          error?: { data?: { httpStatus?: number } };
          result?: { type?: string };
        };
        if (reply.error) finish(reply.error.data?.httpStatus ?? -1);
        else if (reply.result?.type === 'data' || reply.result?.type === undefined) finish(200);
      });
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
}

/** What each identity must get; users not listed get `users`. */
interface Row {
  name: string;
  attempt: Attempt;
  refused?: number;
  owner: number;
  other: number;
  admin: number;
}

const unlessAuthenticated = 401;
const rows = (): Row[] => [
  {
    name: 'POST /analyze/{symbol}/{interval}',
    attempt: (id) => rest('POST', '/analyze/BTCUSDT/1h', id, '{"timeframe":"7d"}'),
    owner: 202,
    other: 202,
    admin: 202,
  },
  {
    name: 'POST /analyze-immediate/{symbol}/{interval}',
    attempt: (id) => rest('POST', '/analyze-immediate/BTCUSDT/1h', id, '{"timeframe":"7d"}'),
    owner: 200,
    other: 200,
    admin: 200,
  },
  {
    name: 'GET /analyze-stream/{symbol}/{interval} (SSE)',
    attempt: (id) => rest('GET', '/analyze-stream/BTCUSDT/1h?timeframe=7d', id),
    owner: 200,
    other: 200,
    admin: 200,
  },
  {
    name: "GET /analysis/status/{Alice's job}",
    attempt: (id) => rest('GET', `/analysis/status/${aliceJob}`, id),
    owner: 200,
    other: 404,
    admin: 404,
  },
  {
    name: "GET /analysis/status/{Alice's job}?user_id=alice",
    attempt: (id) => rest('GET', `/analysis/status/${aliceJob}?user_id=alice`, id),
    owner: 200,
    other: 403,
    admin: 403,
  },
  {
    name: "DELETE /analysis/cancel/{Alice's job}",
    attempt: (id) => rest('DELETE', `/analysis/cancel/${aliceJob}`, id),
    owner: 409,
    other: 404,
    admin: 404,
  },
  {
    name: 'GET /analysis/queue/stats',
    attempt: (id) => rest('GET', '/analysis/queue/stats', id),
    owner: 200,
    other: 200,
    admin: 200,
  },
  {
    name: 'GET /health',
    attempt: (id) => rest('GET', '/health', id),
    refused: 200,
    owner: 200,
    other: 200,
    admin: 200,
  },
  { name: 'GET /ready', attempt: (id) => rest('GET', '/ready', id), refused: 200, owner: 200, other: 200, admin: 200 },
  {
    name: 'GET /metrics',
    attempt: (id) => rest('GET', '/metrics', id),
    refused: 200,
    owner: 200,
    other: 200,
    admin: 200,
  },
  // A chart opens by its signed link only, whoever asks: the link is what Alice shares; without it nobody gets in.
  {
    name: "GET Alice's signed chart link",
    attempt: (id) => rest('GET', aliceChart, id),
    refused: 200,
    owner: 200,
    other: 200,
    admin: 200,
  },
  {
    name: "GET /charts/{Alice's job}.png unsigned",
    attempt: (id) => rest('GET', `/charts/${aliceJob}.png`, id),
    refused: 404,
    owner: 404,
    other: 404,
    admin: 404,
  },
  {
    name: "GET /charts/{Alice's job}.svg unsigned",
    attempt: (id) => rest('GET', `/charts/${aliceJob}.svg`, id),
    refused: 404,
    owner: 404,
    other: 404,
    admin: 404,
  },
  {
    name: "GET Alice's chart with Bob's signature",
    attempt: (id) => rest('GET', bobChart.replace(bobJob, aliceJob), id),
    refused: 404,
    owner: 404,
    other: 404,
    admin: 404,
  },
  {
    name: "GET Alice's chart with an expired signature",
    attempt: (id) => rest('GET', aliceChart.replace(/expires=\d+/, 'expires=1000000000'), id),
    refused: 404,
    owner: 404,
    other: 404,
    admin: 404,
  },
  {
    name: 'tRPC analysis.queue',
    attempt: trpcMutation('analysis.queue', { symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' }),
    owner: 200,
    other: 200,
    admin: 200,
  },
  {
    name: 'tRPC analysis.immediate',
    attempt: trpcMutation('analysis.immediate', { symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' }),
    owner: 200,
    other: 200,
    admin: 200,
  },
  {
    name: "tRPC analysis.status of Alice's job",
    attempt: trpcQuery('analysis.status', { analysis_id: aliceJob }),
    owner: 200,
    other: 404,
    admin: 404,
  },
  {
    name: "tRPC analysis.cancel of Alice's job",
    attempt: trpcMutation('analysis.cancel', { analysis_id: aliceJob }),
    owner: 409,
    other: 404,
    admin: 404,
  },
  { name: 'tRPC analysis.list', attempt: trpcQuery('analysis.list', {}), owner: 200, other: 200, admin: 200 },
  {
    name: "tRPC analysis.progress of Alice's job over HTTP (SSE)",
    attempt: trpcHttpSubscription('analysis.progress', { analysis_id: aliceJob }),
    owner: 200,
    other: 404,
    admin: 404,
  },
  { name: 'tRPC queue.stats', attempt: trpcQuery('queue.stats', undefined), owner: 200, other: 200, admin: 200 },
  { name: 'tRPC queue.deadLetters', attempt: trpcQuery('queue.deadLetters', {}), owner: 403, other: 403, admin: 200 },
  {
    name: 'tRPC queue.replay',
    attempt: trpcMutation('queue.replay', { all: true }),
    owner: 403,
    other: 403,
    admin: 200,
  },
  {
    name: "tRPC queue.replay of Alice's job",
    attempt: trpcMutation('queue.replay', { analysis_id: aliceJob }),
    owner: 403,
    other: 403,
    admin: 404,
  },
  { name: 'tRPC workers.list', attempt: trpcQuery('workers.list', undefined), owner: 403, other: 403, admin: 200 },
  {
    name: "WebSocket analysis.progress of Alice's job",
    attempt: overWebSocket('subscription', 'analysis.progress', { analysis_id: aliceJob }),
    owner: 200,
    other: 404,
    admin: 404,
  },
  {
    name: "WebSocket analysis.progress of Alice's job from the start (lastEventId 0-0)",
    attempt: overWebSocket('subscription', 'analysis.progress', { analysis_id: aliceJob, lastEventId: '0-0' }),
    owner: 200,
    other: 404,
    admin: 404,
  },
  {
    name: "WebSocket analysis.progress of Alice's job, token as connectionParams.authorization",
    attempt: overWebSocket('subscription', 'analysis.progress', { analysis_id: aliceJob }, 'authorization'),
    owner: 200,
    other: 404,
    admin: 404,
  },
  {
    name: "tRPC analysis.progress of Alice's job over HTTP from the start (lastEventId 0-0)",
    attempt: trpcHttpSubscription('analysis.progress', { analysis_id: aliceJob, lastEventId: '0-0' }),
    owner: 200,
    other: 404,
    admin: 404,
  },
  {
    name: "WebSocket analysis.status of Alice's job",
    attempt: overWebSocket('query', 'analysis.status', { analysis_id: aliceJob }),
    owner: 200,
    other: 404,
    admin: 404,
  },
  {
    name: "WebSocket analysis.cancel of Alice's job",
    attempt: overWebSocket('mutation', 'analysis.cancel', { analysis_id: aliceJob }),
    owner: 409,
    other: 404,
    admin: 404,
  },
  {
    name: 'WebSocket workers.list',
    attempt: overWebSocket('query', 'workers.list', undefined),
    owner: 403,
    other: 403,
    admin: 200,
  },
  {
    name: 'WebSocket queue.deadLetters',
    attempt: overWebSocket('query', 'queue.deadLetters', {}),
    owner: 403,
    other: 403,
    admin: 200,
  },
];

function expected(row: Row, identity: Identity): number {
  if (identity === 'owner') return row.owner;
  if (identity === 'other user') return row.other;
  if (identity === 'admin') return row.admin;
  return row.refused ?? unlessAuthenticated;
}

const cells = rows().flatMap((row) => IDENTITIES.map((identity) => ({ row: row.name, identity })));

test.each(cells)('$row as $identity', async ({ row: name, identity }) => {
  const row = rows().find((candidate) => candidate.name === name)!;
  const want = expected(row, identity);
  const before = await writeState();
  const got = await row.attempt(identity);
  expect({ cell: `${name} as ${identity}`, status: got }).toEqual({ cell: `${name} as ${identity}`, status: want });
  // A refusal changes nothing: no job queued, Alice's job not cancelled or touched.
  if (want >= 400)
    expect({ cell: `${name} as ${identity}`, state: await writeState() }).toEqual({
      cell: `${name} as ${identity}`,
      state: before,
    });
});

test('the matrix covers every identity for every row, and every refused identity is refused somewhere', () => {
  expect(cells).toHaveLength(rows().length * IDENTITIES.length);
  for (const identity of REFUSED_IDENTITIES)
    expect(rows().filter((row) => expected(row, identity) === 401).length).toBeGreaterThan(20);
  expect(USERS).toEqual(['owner', 'other user', 'admin']);
});

test("what the owner reads is really her finished job, and Bob's list and feed show none of it", async () => {
  const alice = (await (
    await fetch(`${target.url}/analysis/status/${aliceJob}`, { headers: authHeader('owner') })
  ).json()) as JobView & { analysis_id: string; analysis_data: unknown };
  expect(alice).toMatchObject({ analysis_id: aliceJob, status: 'completed' });
  expect(alice.analysis_data).not.toBeNull();
  const chart = await fetch(`${target.url}${aliceChart}`);
  expect({ status: chart.status, type: chart.headers.get('content-type') }).toEqual({ status: 200, type: 'image/png' });
  const bobList = (await (
    await fetch(`${target.url}/trpc/analysis.list?input=${encodeURIComponent(JSON.stringify({ limit: 100 }))}`, {
      headers: authHeader('other user'),
    })
  ).json()) as { result: { data: { analyses: { analysis_id: string; user_id: string }[] } } };
  const ids = bobList.result.data.analyses.map((job) => job.analysis_id);
  expect(ids).toContain(bobJob);
  expect(ids).not.toContain(aliceJob);
  expect(new Set(bobList.result.data.analyses.map((job) => job.user_id))).toEqual(new Set(['bob']));
});
