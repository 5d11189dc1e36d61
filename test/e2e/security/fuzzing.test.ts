/**
 * Generated hostile requests against every REST route, every tRPC procedure (HTTP and
 * WebSocket) and the chart route of a real `candela api` on a private redis-server.
 * Properties: no 5xx, the process stays up and answers /health, a refused request writes
 * nothing (key count and job stream length unchanged), and resident memory stays bounded.
 * FUZZ_RUNS multiplies every property's run count (default 1: 1,550 cases, the make-test
 * size; FUZZ_RUNS=10 for a full run); FUZZ_SEED picks another seed (default fixed).
 */
import fc from 'fast-check';
import WebSocket from 'ws';
import { type ApiUnderTest, startApiUnderTest, TEST_SECRET } from '../../support/apiUnderTest.js';
import {
  ConnectionClosed,
  effectiveStatus,
  NODE_MAX_HEAD_BYTES,
  rawRequest,
  type RawResponse,
} from '../../support/rawHttp.js';
import {
  badSubjectToken,
  expiredToken,
  tokenWithoutExpiry,
  unsignedToken,
  validToken,
  wronglySignedToken,
} from '../../support/tokenVariants.js';
import {
  authorization,
  bodyText,
  contentType,
  type IdentityLabel,
  jsonish,
  nastyString,
  PROCEDURES,
  pathSegment,
  percentEncode,
  procedureInput,
  procedurePath,
  VALID_ID,
} from './fuzzArbitraries.js';

const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const runs = (base: number) => Math.max(1, Math.round(base * SCALE));
/** Resident memory may grow this much over the whole suite after the warm-up (about 20 MB measured at the default size): heap and caches, not per request. */
const RSS_GROWTH_LIMIT = 64 * 1024 * 1024;
const API_OLD_SPACE_MB = 96;

let target: ApiUnderTest;
let tokens: Record<IdentityLabel, string | undefined>;
let rssAtStart = 0;
/** Answers seen per status, per property: the generators must reach past the refusals, not only provoke them. */
let statuses = new Map<number, number>();

/** Per property: a full-size run (FUZZ_RUNS=10) needs minutes. */
const PROPERTY_TIMEOUT_MS = 120_000 * Math.max(1, SCALE);

beforeAll(async () => {
  // A small old space makes the collector keep the heap tight, so growth that remains is retained memory, and a leak ends in a crash the suite sees.
  target = await startApiUnderTest({
    ANALYSIS_MAX_ACTIVE_JOBS_PER_USER: '20',
    NODE_OPTIONS: `--max-old-space-size=${API_OLD_SPACE_MB}`,
  });
  const bearer = (token: string) => `Bearer ${token}`;
  tokens = {
    alice: bearer(await validToken(TEST_SECRET, 'alice')),
    admin: bearer(await validToken(TEST_SECRET, 'root', { admin: true })),
    none: undefined,
    garbage: 'Bearer not.a.jwt',
    'wrong-signature': bearer(await wronglySignedToken('alice')),
    expired: bearer(await expiredToken(TEST_SECRET, 'alice')),
    'no-exp': bearer(await tokenWithoutExpiry(TEST_SECRET, 'alice')),
    'alg-none': bearer(unsignedToken('root')),
    'bad-subject': bearer(await badSubjectToken(TEST_SECRET, 'alice:x')),
    huge: bearer('x'.repeat(5000)),
    spaces: `Bearer${' '.repeat(15_000)}\n\n`.replace(/\n/g, ''),
  };
  await warmUp();
  rssAtStart = target.apiRss();
});

/** One real call of each kind first, so the analysis threads, the JIT and the pools count in the baseline, not as growth. */
async function warmUp(): Promise<void> {
  const json = { 'content-type': 'application/json', authorization: tokens.alice! };
  await rawRequest(
    target.url,
    { method: 'POST', path: '/analyze-immediate/BTCUSDT/1h', headers: json, body: '{"timeframe":"7d"}' },
    60_000,
  );
  await rawRequest(target.url, {
    method: 'POST',
    path: '/analyze/BTCUSDT/1h',
    headers: json,
    body: '{"timeframe":"7d"}',
  });
  await rawRequest(target.url, {
    method: 'GET',
    path: '/trpc/analysis.list,queue.stats?batch=1&input=%7B%7D',
    headers: json,
  });
  await rawRequest(target.url, { method: 'GET', path: '/metrics' });
}

afterAll(async () => {
  await target?.stop();
});

/** Sends one request and checks the properties every answer must have; returns the answer for more checks. */
async function checked(request: Parameters<typeof rawRequest>[1]): Promise<RawResponse> {
  const before = await target.writeCounters();
  let response: RawResponse;
  try {
    response = await rawRequest(target.url, request);
  } catch (error) {
    // An oversized head is refused by Node's parser before any route runs; the reset may beat its 431 to us.
    if (!(
      error instanceof ConnectionClosed &&
      error.headBytes > NODE_MAX_HEAD_BYTES &&
      error.socketError !== undefined
    ))
      throw error;
    response = { status: 431, headers: {}, body: `(reset: ${error.socketError.message})` };
  }
  // A tRPC subscription over HTTP answers 200 and sends its refusal (or failure) as an event.
  const status = effectiveStatus(response);
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
  const what = `${request.method} ${request.path.slice(0, 300)} -> ${status} ${response.body.slice(0, 300)}`;
  if (!(status >= 100 && status < 500)) throw new Error(`5xx or no status: ${what}`);
  if (status >= 400) {
    const after = await target.writeCounters();
    if (after.keys !== before.keys || after.streamLength !== before.streamLength)
      throw new Error(
        `a refused request wrote to Redis (${JSON.stringify(before)} -> ${JSON.stringify(after)}): ${what}`,
      );
  }
  if (target.api.child.exitCode !== null || target.api.child.signalCode !== null)
    throw new Error(`the API process exited after: ${what}`);
  return response;
}

/** The statuses the property must have produced at least once, so a generator that only hits 404 fails. */
function expectReached(expected: number[]): void {
  const seen = [...statuses.keys()].sort();
  statuses = new Map();
  expect({ seen, missing: expected.filter((status) => !seen.includes(status)) }).toMatchObject({ missing: [] });
}

async function expectHealthy(): Promise<void> {
  const health = await rawRequest(target.url, { method: 'GET', path: '/health' });
  expect(health.status).toBe(200);
}

const headersOf = (auth: string | undefined, type: string | undefined, extra: Record<string, string> = {}) => ({
  ...(auth === undefined ? {} : { authorization: auth }),
  ...(type === undefined ? {} : { 'content-type': type }),
  ...extra,
});

const query = fc
  .array(
    fc.tuple(fc.constantFrom('user_id', 'timeframe', 'lastEventId', 'limit', 'expires', 'signature', 'x'), nastyString),
    { maxLength: 3 },
  )
  .map((pairs) => pairs.map(([name, value]) => `${name}=${percentEncode(value.slice(0, 2000))}`).join('&'));

const restRequest = fc.record({
  route: fc.constantFrom(
    'analyze',
    'analyze-immediate',
    'analyze-stream',
    'status',
    'cancel',
    'stats',
    'health',
    'ready',
    'metrics',
    'unknown',
  ),
  method: fc.oneof(
    { weight: 4, arbitrary: fc.constant('natural') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'BREW'),
    },
  ),
  first: fc.oneof({ weight: 2, arbitrary: fc.constantFrom('BTCUSDT', VALID_ID) }, pathSegment),
  second: fc.oneof({ weight: 2, arbitrary: fc.constant('1h') }, pathSegment),
  query,
  body: fc.oneof(fc.constant('{"timeframe":"7d"}'), bodyText),
  type: fc.oneof(fc.constant('application/json'), contentType),
});

const NATURAL: Record<string, string> = {
  analyze: 'POST',
  'analyze-immediate': 'POST',
  'analyze-stream': 'GET',
  status: 'GET',
  cancel: 'DELETE',
  stats: 'GET',
  health: 'GET',
  ready: 'GET',
  metrics: 'GET',
  unknown: 'GET',
};

function restPath(route: string, first: string, second: string): string {
  switch (route) {
    case 'analyze':
    case 'analyze-immediate':
    case 'analyze-stream':
      return `/${route}/${first}/${second}`;
    case 'status':
      return `/analysis/status/${first}`;
    case 'cancel':
      return `/analysis/cancel/${first}`;
    case 'stats':
      return '/analysis/queue/stats';
    case 'unknown':
      return `/${first}/${second}`;
    default:
      return `/${route}`;
  }
}

test(
  'REST routes: hostile paths, queries, bodies and tokens never get a 5xx, and refusals write nothing',
  async () => {
    await fc.assert(
      fc.asyncProperty(restRequest, authorization(tokens), async (generated, auth) => {
        const method = generated.method === 'natural' ? NATURAL[generated.route]! : generated.method;
        const search = generated.query === '' ? '' : `?${generated.query}`;
        await checked({
          method,
          path: `${restPath(generated.route, generated.first, generated.second)}${search}`,
          headers: headersOf(auth, generated.type),
          body: generated.body,
        });
      }),
      { seed: SEED, numRuns: runs(600), endOnFailure: true },
    );
    expectReached([200, 202, 400, 401, 404, 405, 413, 415]);
    await expectHealthy();
  },
  PROPERTY_TIMEOUT_MS,
);

test(
  'charts: path tricks, forged and expired signatures are 404 (or 400), never a file outside the chart store',
  async () => {
    const chartName = fc.oneof(
      pathSegment,
      fc.constantFrom(
        'analysis_01JABCDEFGHJKMNPQRSTVWXYZ01.svg',
        `${VALID_ID}.png`,
        `..%2f..%2f..%2fetc%2fpasswd`,
        '../../../../etc/passwd',
        '%2e%2e/%2e%2e/package.json',
        `${VALID_ID}.png%00.svg`,
        `${VALID_ID}.svg/..`,
        '.',
        '',
      ),
    );
    const extension = fc.constantFrom('.svg', '.png', '', '.svg%00', '.PNG', '.json', '/');
    const signature = fc.record({
      expires: fc.oneof(
        fc.integer(),
        fc.constant(9_999_999_999),
        nastyString.map((value) => value.slice(0, 100)),
      ),
      signature: nastyString.map((value) => value.slice(0, 200)),
    });
    await fc.assert(
      fc.asyncProperty(chartName, extension, signature, authorization(tokens), async (name, ext, sig, auth) => {
        const response = await checked({
          method: 'GET',
          path: `/charts/${name}${ext}?expires=${percentEncode(String(sig.expires))}&signature=${percentEncode(sig.signature)}`,
          headers: headersOf(auth, undefined),
        });
        if (response.status === 200) throw new Error(`a chart was served for a forged link: /charts/${name}${ext}`);
        expect(response.body).not.toMatch(/root:|"name": "candela"|BEGIN/);
      }),
      { seed: SEED, numRuns: runs(200), endOnFailure: true },
    );
    expectReached([404]);
    await expectHealthy();
  },
  PROPERTY_TIMEOUT_MS,
);

const trpcCall = fc.record({
  paths: fc.array(procedurePath, { minLength: 1, maxLength: 3 }),
  batch: fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 12 }) },
    { weight: 1, arbitrary: fc.integer({ min: 11, max: 300 }) },
  ),
  inputs: fc.array(procedureInput, { minLength: 1, maxLength: 4 }),
  encoding: fc.constantFrom('json', 'json', 'json', 'broken', 'raw'),
  method: fc.constantFrom('natural', 'natural', 'natural', 'GET', 'POST', 'PUT'),
  type: contentType,
});

/** Four times the body limit: enough to prove the limit, small enough for the socket buffers. */
const MAX_WIRE_BYTES = 64 * 1024;

type TrpcCall = typeof trpcCall extends fc.Arbitrary<infer T> ? T : never;

function trpcRequest(generated: TrpcCall, auth: string | undefined): Parameters<typeof rawRequest>[1] {
  const calls =
    generated.batch === 0
      ? [generated.paths[0]!]
      : Array.from({ length: generated.batch }, (_, index) => generated.paths[index % generated.paths.length]!);
  const kind = PROCEDURES.find(([name]) => name === calls[0])?.[1];
  const method = generated.method === 'natural' ? (kind === 'mutation' ? 'POST' : 'GET') : generated.method;
  const inputOf = (index: number) => generated.inputs[index % generated.inputs.length];
  const payload =
    generated.batch === 0 ? inputOf(0) : Object.fromEntries(calls.map((_, index) => [String(index), inputOf(index)]));
  const full =
    generated.encoding === 'broken'
      ? `${JSON.stringify(payload) ?? ''}}{`
      : generated.encoding === 'raw'
        ? (JSON.stringify(inputOf(0)) ?? 'undefined').slice(1)
        : (JSON.stringify(payload) ?? 'undefined');
  // Past the limits either way; a multi-megabyte write would only race the server's early close (EPIPE, lost answer).
  const encoded = full.slice(0, MAX_WIRE_BYTES);
  const path = `/trpc/${calls.join(',')}`.slice(0, MAX_WIRE_BYTES) + (generated.batch === 0 ? '' : '?batch=1');
  if (method === 'GET')
    return {
      method,
      path: `${path}${generated.batch === 0 ? '?' : '&'}input=${percentEncode(encoded)}`.slice(0, MAX_WIRE_BYTES),
      headers: headersOf(auth, undefined),
    };
  return { method, path, headers: headersOf(auth, generated.type ?? 'application/json'), body: encoded };
}

test(
  'tRPC over HTTP: every procedure with hostile inputs, broken JSON, wrong methods and oversized batches',
  async () => {
    await fc.assert(
      fc.asyncProperty(trpcCall, authorization(tokens), async (call, auth) => {
        await checked(trpcRequest(call, auth));
      }),
      { seed: SEED, numRuns: runs(600), endOnFailure: true },
    );
    expectReached([200, 400, 401, 403, 404, 413]);
    await expectHealthy();
  },
  PROPERTY_TIMEOUT_MS,
);

interface WsReply {
  id?: unknown;
  error?: { code?: number; data?: { httpStatus?: number; code?: string } };
  result?: { type?: string };
}

/** Opens a socket, sends the frames, collects replies for a moment; resolves with replies and how the socket closed. */
function wsExchange(
  url: string,
  connectionParams: unknown,
  frames: (string | Buffer)[],
): Promise<{ replies: WsReply[]; closeCode: number | undefined }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/trpc?connectionParams=1`);
    const replies: WsReply[] = [];
    let closeCode: number | undefined;
    const done = () => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      resolve({ replies, closeCode });
    };
    const timer = setTimeout(done, 120);
    socket.on('open', () => {
      socket.send(
        typeof connectionParams === 'string'
          ? connectionParams
          : JSON.stringify({ method: 'connectionParams', data: connectionParams }),
      );
      for (const frame of frames) socket.send(frame);
    });
    socket.on('message', (data: Buffer) => {
      // The keepalive answer to a PING frame.
      if (data.toString() === 'PONG') return;
      try {
        const parsed = JSON.parse(data.toString()) as WsReply | WsReply[];
        replies.push(...(Array.isArray(parsed) ? parsed : [parsed]));
      } catch {
        replies.push({ error: { code: -1, data: { code: `unparsable reply ${data.toString().slice(0, 100)}` } } });
      }
    });
    socket.on('close', (code) => {
      closeCode = code;
      done();
    });
    socket.on('error', () => done());
  });
}

test(
  'tRPC over WebSocket: hostile connectionParams, frames and oversized messages never answer INTERNAL_SERVER_ERROR',
  async () => {
    const token = fc.oneof(
      fc.constantFrom(...Object.values(tokens)).map((value) => value?.replace(/^Bearer\s*/, '')),
      nastyString.map((value) => value.slice(0, 6000)),
    );
    const connectionParams = fc.oneof(
      fc.record({ token }, { requiredKeys: [] }),
      fc.record({ authorization: fc.constantFrom(...Object.values(tokens)) }, { requiredKeys: [] }),
      jsonish,
      fc.constantFrom(
        'not json',
        '{"method":"connectionParams"}',
        '{"method":"connectionParams","data":null}',
        '{"method":"connectionParams","data":{"token":123}}',
      ),
    );
    const message = fc.record({
      id: fc.oneof(
        fc.nat(),
        nastyString.map((value) => value.slice(0, 50)),
        fc.constant(null),
      ),
      method: fc.constantFrom('query', 'mutation', 'subscription', 'subscription.stop', 'nope'),
      path: procedurePath,
      input: procedureInput,
    });
    const frame = fc.oneof(
      {
        weight: 5,
        arbitrary: message.map(({ id, method, path, input }) =>
          JSON.stringify({ id, method, params: { path, input } }),
        ),
      },
      {
        weight: 1,
        arbitrary: fc
          .array(message, { maxLength: 30 })
          .map((list) =>
            JSON.stringify(list.map(({ id, method, path, input }) => ({ id, method, params: { path, input } }))),
          ),
      },
      { weight: 1, arbitrary: jsonish.map((value) => JSON.stringify(value) ?? 'null') },
      {
        weight: 1,
        arbitrary: fc.constantFrom('{', 'PING', 'PONG', '', '\u0000', '{"id":1,"method":"subscription","params":null}'),
      },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
      {
        weight: 1,
        arbitrary: fc.integer({ min: 16_000, max: 40_000 }).map((size) =>
          JSON.stringify({
            id: 1,
            method: 'query',
            params: { path: 'analysis.list', input: { x: 'y'.repeat(size) } },
          }),
        ),
      },
    );
    await fc.assert(
      fc.asyncProperty(connectionParams, fc.array(frame, { minLength: 1, maxLength: 4 }), async (params, frames) => {
        const before = await target.writeCounters();
        const { replies } = await wsExchange(target.url, params, frames);
        const internal = replies.find(
          (reply) =>
            (reply.error?.data?.httpStatus ?? 0) >= 500 || reply.error?.code === -32603 || reply.error?.code === -1,
        );
        if (internal) throw new Error(`internal error over WebSocket: ${JSON.stringify(internal).slice(0, 400)}`);
        // Only a successful mutation may write; a queue call that was answered with data is one.
        if (!replies.some((reply) => reply.result !== undefined)) {
          const after = await target.writeCounters();
          if (after.keys !== before.keys || after.streamLength !== before.streamLength)
            throw new Error(`refused WebSocket calls wrote to Redis: ${JSON.stringify(frames).slice(0, 400)}`);
        }
        if (target.api.child.exitCode !== null) throw new Error('the API process exited');
      }),
      { seed: SEED, numRuns: runs(150), endOnFailure: true },
    );
    await expectHealthy();
  },
  PROPERTY_TIMEOUT_MS,
);

test('the API is still up and its resident memory grew by a bounded amount over the whole suite', async () => {
  await expectHealthy();
  const ready = await rawRequest(target.url, { method: 'GET', path: '/ready' });
  expect(ready.status).toBe(200);
  const growth = target.apiRss() - rssAtStart;
  expect(Math.round(growth / 1024 / 1024)).toBeLessThan(RSS_GROWTH_LIMIT / 1024 / 1024);
});
