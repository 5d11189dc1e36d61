/**
 * The retry schedule (a sorted set of job ids by due time) read by the retry scheduler: due
 * jobs go back onto the job stream under a new entry. The schedule lives in Redis, so a retry
 * survives the worker that scheduled it.
 */
import type { QueueKeys } from './keys.js';
import type { RedisClient } from './redisConnection.js';
import { runScript } from './scripts/runScript.js';
import { moveDueRetries } from './scripts/scriptTable.js';

export function createRetrySchedule(redis: RedisClient, keys: QueueKeys) {
  /** Moves up to `limit` due retries onto the stream; returns the ids moved. Safe to race across nodes. */
  async function moveDue(now: number, limit: number): Promise<string[]> {
    const due = await redis.zrangebyscore(keys.retrySchedule(), '-inf', now, 'LIMIT', 0, limit);
    if (due.length === 0) return [];
    return runScript(redis, moveDueRetries, {
      keys: { stream: keys.stream, schedule: keys.retrySchedule() },
      args: { now },
      items: due.map((analysisId) => ({ keys: { job: keys.job(analysisId) }, args: { analysisId } })),
    });
  }

  async function scheduled(): Promise<{ analysisId: string; dueAt: number }[]> {
    const flat = await redis.zrange(keys.retrySchedule(), '0', '-1', 'WITHSCORES');
    const result: { analysisId: string; dueAt: number }[] = [];
    for (let index = 0; index + 1 < flat.length; index += 2)
      result.push({ analysisId: flat[index]!, dueAt: Number(flat[index + 1]) });
    return result;
  }

  return { moveDue, scheduled };
}

export type RetrySchedule = ReturnType<typeof createRetrySchedule>;
