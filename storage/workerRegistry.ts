/**
 * The live worker processes, as their heartbeat registrations (`workers:analysis-workers:*`,
 * JSON with a TTL) and metrics hashes (`worker_metrics:analysis-workers:*`) describe them.
 */
import type { QueueKeys } from './keys.js';
import { Cluster, type Redis } from 'ioredis';
import type { RedisClient } from './redisConnection.js';

import type { CircuitState as CircuitStateName } from './circuitState.js';

/** What a worker's heartbeat registration holds (actors/heartbeatActor.ts writes it). */
export interface WorkerRegistration {
  worker_id: string;
  host: string;
  pid: number;
  consumers: string[];
  started_at: string;
  /** The worst state across the worker's dependencies. */
  circuit_breaker_state: CircuitStateName;
  /** Per dependency: market-data, llm, store. */
  circuits?: Record<string, CircuitStateName>;
  last_seen: string;
}

export interface WorkerInfo extends WorkerRegistration {
  metrics: {
    analyses_processed: number;
    errors_total: number;
    avg_processing_time: number;
    uptime: number;
  } | null;
}

async function scanNode(node: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 200);
    found.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

/** SCAN walks one server: on a cluster, the heartbeat keys (no hash tag) are spread over every master. */
async function scanAll(redis: RedisClient, pattern: string): Promise<string[]> {
  if (redis instanceof Cluster) return (await Promise.all(redis.nodes('master').map((node) => scanNode(node, pattern)))).flat();
  return scanNode(redis, pattern);
}

/** The registrations whose heartbeat has not expired. */
export async function liveRegistrations(redis: RedisClient, keys: QueueKeys): Promise<WorkerRegistration[]> {
  const registrations = await Promise.all((await scanAll(redis, keys.workerHeartbeatPattern())).map((key) => redis.get(key)));
  return registrations.flatMap((json) => (json ? [JSON.parse(json) as WorkerRegistration] : []));
}

export async function listWorkers(redis: RedisClient, keys: QueueKeys): Promise<WorkerInfo[]> {
  const workers = await Promise.all(
    (await liveRegistrations(redis, keys)).map(async (registration) => {
      const hash = await redis.hgetall(keys.workerMetrics(registration.worker_id));
      const metrics = hash.analyses_processed === undefined
        ? null
        : { analyses_processed: Number(hash.analyses_processed), errors_total: Number(hash.errors_total ?? 0), avg_processing_time: Number(hash.avg_processing_time ?? 0), uptime: Number(hash.uptime ?? 0) };
      return { ...registration, metrics };
    }),
  );
  return workers.sort((a, b) => a.worker_id.localeCompare(b.worker_id));
}
