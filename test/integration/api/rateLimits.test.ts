/**
 * Requests per second per token and per IP: 429 with Retry-After beyond the limit, over
 * tRPC and REST. (That a flooding client does not slow others is measured across processes
 * in test/e2e/api/rateLimits.test.ts.)
 */
import { type InProcessApi, startInProcessApi } from './inProcessApi.js';

async function timedGet(
  url: string,
  token: string,
): Promise<{ status: number; ms: number; retryAfter: string | null }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started, retryAfter: response.headers.get('retry-after') };
}

describe('per token', () => {
  let api: InProcessApi;
  let base: string;
  beforeAll(async () => {
    api = await startInProcessApi({ API_RATE_LIMIT_PER_TOKEN: '5' });
    base = await api.serve();
  });
  afterAll(() => api.stop());

  test('past its rate a token gets 429 with Retry-After, over tRPC and REST alike', async () => {
    const token = await api.token('flood');
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        timedGet(`${base}${index % 2 ? '/trpc/queue.stats' : '/analysis/queue/stats'}`, token),
      ),
    );
    const refused = replies.filter((reply) => reply.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(10);
    expect(replies.filter((reply) => reply.status === 200).length).toBeGreaterThanOrEqual(5);
    for (const reply of refused) expect(Number(reply.retryAfter)).toBeGreaterThanOrEqual(1);
  });
});

describe('per IP', () => {
  let api: InProcessApi;
  let base: string;
  beforeAll(async () => {
    api = await startInProcessApi({ API_RATE_LIMIT_PER_IP: '4' });
    base = await api.serve();
  });
  afterAll(() => api.stop());

  test('past its rate an address gets 429 with Retry-After, whatever the token; /health is never limited', async () => {
    const tokens = await Promise.all(Array.from({ length: 10 }, (_, index) => api.token(`user${index}`)));
    const replies = await Promise.all(tokens.map((token) => timedGet(`${base}/analysis/queue/stats`, token)));
    expect(replies.filter((reply) => reply.status === 429).length).toBeGreaterThanOrEqual(5);
    expect(replies.find((reply) => reply.status === 429)?.retryAfter).toBe('1');
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});
