/** One queue partition's figures for queue.stats: its stream, its consumer group's backlog and live consumers. */
import type { QueueKeys } from './keys.js';
import type { RedisClient } from './redisConnection.js';
import { infoReply } from './streamReplies.js';

export interface PartitionStats {
  partition: number;
  stream_name: string;
  total_jobs_in_stream: number;
  pending_jobs: number;
  waiting_jobs: number;
  active_consumers: number;
  /** Retries waiting for their due time. */
  scheduled_retries: number;
  dead_letters: number;
}

export async function partitionStats(
  redis: RedisClient,
  keys: QueueKeys,
  liveConsumers: ReadonlySet<string>,
): Promise<PartitionStats> {
  const [length, groups, consumers, retries, deadLetters] = await Promise.all([
    redis.xlen(keys.stream),
    redis.xinfo('GROUPS', keys.stream).then(infoReply),
    redis.xinfo('CONSUMERS', keys.stream, keys.group).then(infoReply),
    redis.zcard(keys.retrySchedule()),
    redis.xlen(keys.deadLetters()),
  ]);
  const group = groups.find((fields) => fields.name === keys.group);
  return {
    partition: keys.partition,
    stream_name: keys.stream,
    total_jobs_in_stream: length,
    pending_jobs: Number(group?.pending ?? 0),
    waiting_jobs: Number(group?.lag ?? 0),
    active_consumers: consumers.filter((fields) => liveConsumers.has(fields.name ?? '')).length,
    scheduled_retries: retries,
    dead_letters: deadLetters,
  };
}
