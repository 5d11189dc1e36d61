/**
 * Who owns a shared analysis when a job is retried: the claim an earlier attempt of the same
 * job left behind is the retry's own (it takes it over at once), while a claim of another job
 * still makes a twin wait.
 */
import { createAnalysisCache } from '../../../storage/analysisCache.js';
import { createKeys } from '../../../storage/keys.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

let redis: TestRedis;
const keys = createKeys();

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

const OWNER_TTL_MS = 60_000;

test('a retry takes over the claim its failed attempt left, without waiting for it to lapse', async () => {
  const cache = createAnalysisCache(redis.client, keys, { ownerTtlMs: OWNER_TTL_MS });
  const first = await cache.acquire('bar-a', 'analysis_retried', new AbortController().signal);
  expect(first).toEqual({ kind: 'owner' });
  // The attempt dies without releasing (its worker was killed): the claim stays for the owner TTL.
  const retry = await cache.acquire('bar-a', 'analysis_retried', AbortSignal.timeout(5_000));
  expect(retry).toEqual({ kind: 'owner' });
  expect(await redis.client.get(keys.analysisCacheOwner('bar-a'))).toBe('analysis_retried');
  expect(await redis.client.pttl(keys.analysisCacheOwner('bar-a'))).toBeGreaterThan(OWNER_TTL_MS - 10_000);
});

test('a twin still waits while another job owns the analysis, and gets its result', async () => {
  const cache = createAnalysisCache(redis.client, keys, { ownerTtlMs: OWNER_TTL_MS });
  expect(await cache.acquire('bar-b', 'analysis_owner', new AbortController().signal)).toEqual({ kind: 'owner' });
  const waiting = new AbortController();
  const twin = cache.acquire('bar-b', 'analysis_twin', waiting.signal);
  const result = { summary: 'shared' } as unknown as Parameters<typeof cache.release>[2];
  await cache.release('bar-b', 'analysis_owner', result, Date.now() + 60_000);
  expect(await twin).toEqual({ kind: 'hit', result });
});
