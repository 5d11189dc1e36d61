/** One user cannot take the whole immediate-analysis pool: past their share they are refused, and another user still gets in. */
import { TRPCError } from '@trpc/server';
import { type InProcessApi, startInProcessApi } from './inProcessApi.js';

let api: InProcessApi;
beforeAll(async () => {
  api = await startInProcessApi({ API_IMMEDIATE_MAX_PER_USER: '2' });
});
afterAll(() => api.stop());

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'OK',
    (error: unknown) => (error instanceof TRPCError ? error.code : String(error)),
  );

test('a user past API_IMMEDIATE_MAX_PER_USER is refused at once while another user is served', async () => {
  const [alice, bob] = await Promise.all([api.token('alice'), api.token('bob')]);
  const request = { symbol: 'BTCUSDT', interval: '1h', timeframe: '1d' } as const;
  const aliceCalls = Array.from({ length: 5 }, () => outcome(api.caller(alice).analysis.immediate(request)));
  const bobCall = outcome(api.caller(bob).analysis.immediate(request));
  const results = await Promise.all(aliceCalls);
  expect(results.filter((result) => result === 'OK')).toHaveLength(2);
  expect(results.filter((result) => result === 'TOO_MANY_REQUESTS')).toHaveLength(3);
  expect(await bobCall).toBe('OK');
  // The share is given back when the analyses end.
  expect(await outcome(api.caller(alice).analysis.immediate(request))).toBe('OK');
});
