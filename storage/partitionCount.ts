/**
 * The partition count the queue's data was written with, kept in a key of partition 0. A job
 * lives in the partition of its user's hash, so another count would send a user's new jobs to
 * another partition than their queued ones (two caps, two orders, work no consumer reads):
 * changing it is refused until the queue is drained, then the new count is recorded.
 */
import type { QueueKeys } from './keys.js';
import type { RedisClient } from './redisConnection.js';
import { infoReply } from './streamReplies.js';

export class PartitionCountRefused extends Error {
  constructor(
    readonly stored: number,
    readonly requested: number,
    readonly busy: readonly { partition: number; waiting: number; pending: number; retries: number }[],
  ) {
    const detail = busy
      .map(
        (part) =>
          `partition ${part.partition}: ${part.waiting} waiting, ${part.pending} pending, ${part.retries} retries`,
      )
      .join('; ');
    super(
      `ANALYSIS_QUEUE_PARTITIONS=${requested} refused: the queue holds unfinished jobs written with ${stored} ` +
        `partition(s) (${detail}). Drain it first: stop the API nodes, let the workers (started with ` +
        `ANALYSIS_QUEUE_PARTITIONS=${stored}) finish every job and retry, stop them, then start every node with ` +
        `the new count.`,
    );
    this.name = 'PartitionCountRefused';
  }
}

/** Queued, running and scheduled work in one partition (streams that do not exist yet hold none). */
async function unfinished(redis: RedisClient, keys: QueueKeys) {
  const [length, groups, retries] = await Promise.all([
    redis.xlen(keys.stream),
    redis.xinfo('GROUPS', keys.stream).then(infoReply, () => []),
    redis.zcard(keys.retrySchedule()),
  ]);
  const group = groups.find((fields) => fields.name === keys.group);
  const pending = Number(group?.pending ?? 0);
  // lag is nil once entries were trimmed: what is on the stream and not pending is then the bound.
  const lag = group?.lag;
  const waiting = lag !== undefined && lag !== null && lag !== '' ? Number(lag) : Math.max(0, length - pending);
  return { partition: keys.partition, waiting: group ? waiting : length, pending, retries };
}

/**
 * Records `keys.partitions` as the queue's count, or throws PartitionCountRefused when another
 * count is recorded (none recorded means the original single partition) and its partitions
 * still hold work.
 */
export async function checkPartitionCount(redis: RedisClient, keys: QueueKeys): Promise<void> {
  const key = keys.partitionCount();
  const recorded = await redis.get(key);
  const stored = recorded === null ? 1 : Number(recorded);
  const requested = keys.partitions;
  if (stored !== requested) {
    // Every partition of either count: the old ones hold the work, new ones may hold a stray early write.
    const partitions = Array.from({ length: Math.max(stored, requested) }, (_, p) => keys.forPartition(p));
    const busy = (await Promise.all(partitions.map((partition) => unfinished(redis, partition)))).filter(
      (part) => part.waiting + part.pending + part.retries > 0,
    );
    if (busy.length > 0) throw new PartitionCountRefused(stored, requested, busy);
  }
  if (recorded !== String(requested)) await redis.set(key, String(requested));
}
