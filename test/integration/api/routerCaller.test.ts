/**
 * The procedures called in-process (createCaller) over a real redis-server: authentication,
 * ownership and validation decided by the router itself, without HTTP in between.
 */
import { TRPCError } from '@trpc/server';
import { type InProcessApi, startInProcessApi } from './inProcessApi.js';

let api: InProcessApi;
let alice: string;
let bob: string;
let admin: string;

beforeAll(async () => {
  api = await startInProcessApi();
  [alice, bob, admin] = await Promise.all([api.token('alice'), api.token('bob'), api.token('root', { admin: true })]);
});
afterAll(() => api.stop());

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'OK',
    (error: unknown) => (error instanceof TRPCError ? error.code : `not a TRPCError: ${String(error)}`),
  );

const request = { symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' } as const;

describe('authentication', () => {
  test('every procedure refuses a caller without a token, or with a malformed one', async () => {
    for (const token of [undefined, 'not.a.jwt']) {
      const caller = api.caller(token);
      expect(await codeOf(caller.analysis.queue(request))).toBe('UNAUTHORIZED');
      expect(await codeOf(caller.analysis.list())).toBe('UNAUTHORIZED');
      expect(await codeOf(caller.queue.stats())).toBe('UNAUTHORIZED');
      expect(await codeOf(caller.workers.list())).toBe('UNAUTHORIZED');
    }
  });

  test('is checked before the input, so a stranger learns nothing from validation', async () => {
    expect(await codeOf(api.caller(undefined).analysis.status({ analysis_id: 'nonsense' }))).toBe('UNAUTHORIZED');
  });

  test('admin procedures refuse a user token and accept an admin one', async () => {
    expect(await codeOf(api.caller(alice).workers.list())).toBe('FORBIDDEN');
    expect(await codeOf(api.caller(alice).queue.deadLetters())).toBe('FORBIDDEN');
    expect(await codeOf(api.caller(admin).workers.list())).toBe('OK');
  });
});

describe('ownership', () => {
  test("another user's job is NOT_FOUND for status, cancel and progress; the owner reads it", async () => {
    const { analysis_id } = await api.caller(alice).analysis.queue(request);
    const stranger = api.caller(bob);
    expect(await codeOf(stranger.analysis.status({ analysis_id }))).toBe('NOT_FOUND');
    expect(await codeOf(stranger.analysis.cancel({ analysis_id }))).toBe('NOT_FOUND');
    expect(await codeOf(stranger.analysis.progress({ analysis_id }))).toBe('NOT_FOUND');
    expect(await api.caller(alice).analysis.status({ analysis_id })).toMatchObject({
      analysis_id,
      status: 'queued',
      user_id: 'alice',
    });
    expect((await api.caller(bob).analysis.list()).analyses.map((job) => job.analysis_id)).not.toContain(analysis_id);
  });

  test('a user_id that differs from the token is refused and queues nothing', async () => {
    const before = await api.redis.client.xlen(api.services.keys.stream);
    expect(await codeOf(api.caller(alice).analysis.queue({ ...request, user_id: 'bob' }))).toBe('FORBIDDEN');
    expect(await api.redis.client.xlen(api.services.keys.stream)).toBe(before);
  });
});

describe('validation', () => {
  test('bad input is BAD_REQUEST naming the field, and writes nothing', async () => {
    const before = await api.redis.client.xlen(api.services.keys.stream);
    const caller = api.caller(alice);
    await expect(caller.analysis.queue({ ...request, symbol: 'btc' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('symbol'),
    });
    await expect(caller.analysis.queue({ ...request, interval: '7x' as never })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('interval'),
    });
    await expect(caller.analysis.queue({ ...request, timeframe: '100y' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(caller.analysis.status({ analysis_id: 'analysis_nope' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(caller.analysis.list({ limit: 1000 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await api.redis.client.xlen(api.services.keys.stream)).toBe(before);
  });
});
