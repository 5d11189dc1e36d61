/**
 * A burst of script calls on a cold script cache (a new client, then a flushed cache as after a
 * Redis restart) makes Redis compile the script once, not once per call in flight.
 */
import { startRedis, type TestRedis } from '../../support/redisServer.js';
import { runScript } from '../../../storage/scripts/runScript.js';
import { releaseRun } from '../../../storage/scripts/scriptTable.js';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis.stop();
});

async function scriptCalls(): Promise<{ eval: number; evalsha: number; failed: number }> {
  const stats = await redis.client.info('commandstats');
  const figure = (command: string, field: string) =>
    Number(new RegExp(`^cmdstat_${command}:.*\\b${field}=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
  return {
    eval: figure('eval', 'calls'),
    evalsha: figure('evalsha', 'calls'),
    failed: figure('evalsha', 'failed_calls'),
  };
}

const burst = (size: number) =>
  Promise.all(
    Array.from({ length: size }, (_, index) =>
      runScript(redis.client, releaseRun, { keys: { job: `job:${index}` }, args: { owner: 'nobody' } }),
    ),
  );

test('a burst on a new client sends the source once and EVALSHA for the rest', async () => {
  await redis.client.config('RESETSTAT');
  await burst(200);
  expect(await scriptCalls()).toEqual({ eval: 1, evalsha: 199, failed: 0 });
});

test('after the cache is flushed, one call of a burst sends the source again', async () => {
  await redis.client.script('FLUSH');
  await redis.client.config('RESETSTAT');
  await burst(200);
  const calls = await scriptCalls();
  expect(calls.eval).toBe(1);
  // Each refused call retries once, after the reload.
  expect(calls.evalsha - calls.failed).toBe(199);
});
