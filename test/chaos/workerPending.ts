/** Stream entries pending for the consumers of one worker process (named worker-{host}-{pid}-c{n}). */
import type { QueueKeys } from '../../storage/keys.js';
import type { RedisClient } from '../../storage/redisConnection.js';

type PendingSummary = [number, string | null, string | null, [string, string][] | null];

export async function pendingForProcess(redis: RedisClient, keys: QueueKeys, pid: number | undefined): Promise<number> {
  const summary = (await redis.xpending(keys.stream, keys.group)) as PendingSummary;
  return (summary[3] ?? [])
    .filter(([consumer]) => consumer.includes(`-${pid}-c`))
    .reduce((sum, [, count]) => sum + Number(count), 0);
}
