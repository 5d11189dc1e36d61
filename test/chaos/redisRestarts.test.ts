/** Short chaos run: API clients queue jobs while Redis stops (SIGTERM, AOF everysec) and is killed (SIGKILL, appendfsync always). */
import { jest } from '@jest/globals';
import { expectNoLossNoDuplicates } from './chaosAssertions.js';
import { redisRestarts, redisRestartsShort } from './scenarios/redisRestarts.js';

jest.setTimeout(redisRestartsShort.deadlineMs + 30_000);

test('every job acknowledged to a client completes across two Redis restarts', async () => {
  const figures = await redisRestarts(redisRestartsShort);
  expectNoLossNoDuplicates(figures);
  expect(figures.queued).toBe(redisRestartsShort.jobs);
  expect(figures.redis_restarts).toHaveLength(2);
});
