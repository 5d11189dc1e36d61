/**
 * Waits until replicas hold what this client just wrote (Redis WAIT). Replication is
 * asynchronous: without this an acknowledged job can vanish when its master dies before a
 * replica copied it. WAIT counts replicas of the connection's own master, so on a cluster it
 * must reach the master that owns the key's slot: it rides in a pipeline with a read of that
 * key, which ioredis routes to the slot's master over the connection that made the write.
 */
import type { RedisClient } from './redisConnection.js';

export class ReplicasUnavailable extends Error {
  constructor(
    readonly analysisId: string,
    readonly acknowledged: number,
    readonly required: number,
    timeoutMs: number,
  ) {
    super(
      `analysis ${analysisId} was written, but only ${acknowledged} of ${required} replicas confirmed it within ${timeoutMs} ms (ANALYSIS_ENQUEUE_MIN_REPLICAS); it may still run: retry with the same idempotency_key`,
    );
    this.name = 'ReplicasUnavailable';
  }
}

/** The number of replicas that acknowledged every earlier write on the connection that serves `key`. */
export async function waitForReplicas(
  redis: RedisClient,
  key: string,
  replicas: number,
  timeoutMs: number,
): Promise<number> {
  const replies = await redis.pipeline().exists(key).wait(replicas, timeoutMs).exec();
  const [error, acknowledged] = replies?.[1] ?? [new Error('WAIT got no reply'), null];
  if (error) throw error;
  if (typeof acknowledged !== 'number') throw new Error(`WAIT replied ${JSON.stringify(acknowledged)}`);
  return acknowledged;
}
