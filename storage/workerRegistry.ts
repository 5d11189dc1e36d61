/**
 * The live worker processes: each registers itself (`workers:analysis-workers:{id}`, JSON with
 * a TTL) and publishes a metrics hash (`worker_metrics:analysis-workers:{id}`). An index of
 * live workers (`live_workers:analysis-workers`, a sorted set of worker ids scored by when
 * their registration expires) is read instead of scanning the keyspace. The registrations
 * carry no hash tag, so on a cluster they sit in different slots: each is written and read
 * with a command of its own, never a multi-key one.
 */
import type { QueueKeys } from './keys.js';
import type { RedisClient } from './redisConnection.js';

import type { CircuitState as CircuitStateName } from './circuitState.js';

/** What a worker's heartbeat registration holds. */
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

export interface WorkerMetricsFields {
  analyses_processed: number;
  errors_total: number;
  avg_processing_time: number;
  uptime: number;
  circuit_breaker_state: CircuitStateName;
}

/** Stalled-job figures of one worker: entries it reclaimed, poison messages it dead-lettered, processing jobs it took over. */
export interface StalledJobCounts {
  reclaims: number;
  poison_messages: number;
  takeovers: number;
}

/** The stalled-job counts in the metrics hash: since the worker started, and over the last hour. */
export interface StalledJobFields {
  reclaims_total: number;
  poison_messages_total: number;
  takeovers_total: number;
  reclaims_last_hour: number;
  poison_messages_last_hour: number;
  takeovers_last_hour: number;
}

export function stalledJobFields(totals: StalledJobCounts, lastHour: StalledJobCounts): StalledJobFields {
  return {
    reclaims_total: totals.reclaims,
    poison_messages_total: totals.poison_messages,
    takeovers_total: totals.takeovers,
    reclaims_last_hour: lastHour.reclaims,
    poison_messages_last_hour: lastHour.poison_messages,
    takeovers_last_hour: lastHour.takeovers,
  };
}

/** A live worker; the stalled-job counts (over the last hour) are absent until it has published them. */
export interface WorkerInfo extends WorkerRegistration, Partial<StalledJobCounts> {
  metrics: Omit<WorkerMetricsFields, 'circuit_breaker_state'> | null;
  /** Since the worker started; absent until published. */
  totals?: StalledJobCounts;
}

/**
 * Index members whose registration expired longer ago than this are dropped on read without
 * looking; younger ones are checked against their registration key, so clocks that differ
 * between nodes by less than this neither hide a live worker nor show a dead one.
 */
const CLOCK_SKEW_ALLOWANCE_MS = 60_000;

export function createWorkerRegistry(redis: RedisClient, keys: QueueKeys) {
  /** Writes (or renews) a registration that expires after ttlSeconds unless renewed. */
  /** The index is scored in wall-clock time, as every node reading it compares it with its own. */
  async function register(
    registration: WorkerRegistration,
    ttlSeconds: number,
    now: number = Date.now(),
  ): Promise<void> {
    await Promise.all([
      redis.set(keys.workerHeartbeat(registration.worker_id), JSON.stringify(registration), 'EX', ttlSeconds),
      redis.zadd(keys.workerIndex(), now + ttlSeconds * 1000, registration.worker_id),
    ]);
  }

  async function publishMetrics(
    workerId: string,
    metrics: WorkerMetricsFields & Partial<StalledJobFields>,
    ttlSeconds: number,
  ): Promise<void> {
    await Promise.all([
      redis.hset(keys.workerMetrics(workerId), { ...metrics }),
      redis.expire(keys.workerMetrics(workerId), ttlSeconds),
    ]);
  }

  async function publishCircuitState(workerId: string, state: CircuitStateName): Promise<void> {
    await redis.hset(keys.workerMetrics(workerId), 'circuit_breaker_state', state);
  }

  /** Removes the registration at once (active consumers drop without waiting for the TTL) and leaves the final metrics. */
  async function deregister(
    workerId: string,
    finalMetrics: WorkerMetricsFields & Partial<StalledJobFields>,
  ): Promise<void> {
    await Promise.all([
      redis.del(keys.workerHeartbeat(workerId)),
      redis.zrem(keys.workerIndex(), workerId),
      redis.hset(keys.workerMetrics(workerId), { ...finalMetrics }),
    ]);
  }

  return { register, publishMetrics, publishCircuitState, deregister };
}

export type WorkerRegistry = ReturnType<typeof createWorkerRegistry>;

function parseRegistration(json: string | null): WorkerRegistration | undefined {
  if (!json) return undefined;
  try {
    const value = JSON.parse(json) as Partial<WorkerRegistration> | null;
    return value && typeof value.worker_id === 'string' && Array.isArray(value.consumers)
      ? (value as WorkerRegistration)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The registrations that have not expired, found through the index; expired members are dropped from it. */
export async function liveRegistrations(
  redis: RedisClient,
  keys: QueueKeys,
  now: number = Date.now(),
): Promise<WorkerRegistration[]> {
  const index = keys.workerIndex();
  const cutoff = now - CLOCK_SKEW_ALLOWANCE_MS;
  const [, flat] = await Promise.all([
    redis.zremrangebyscore(index, '-inf', `(${cutoff}`),
    redis.zrangebyscore(index, cutoff, '+inf', 'WITHSCORES'),
  ]);
  const members: { id: string; expiresAt: number }[] = [];
  for (let at = 0; at + 1 < flat.length; at += 2) members.push({ id: flat[at]!, expiresAt: Number(flat[at + 1]) });
  const found = await Promise.all(
    members.map(async (member) => ({
      ...member,
      registration: parseRegistration(await redis.get(keys.workerHeartbeat(member.id))),
    })),
  );
  // Only members past their indexed expiry: one whose key is missing but whose expiry is ahead may be re-registering right now.
  const gone = found
    .filter((entry) => entry.registration === undefined && entry.expiresAt < now)
    .map((entry) => entry.id);
  if (gone.length > 0) await redis.zrem(index, ...gone);
  return found.flatMap((entry) => (entry.registration ? [entry.registration] : []));
}

export async function listWorkers(redis: RedisClient, keys: QueueKeys): Promise<WorkerInfo[]> {
  const workers = await Promise.all(
    (await liveRegistrations(redis, keys)).map(async (registration) => {
      const hash = await redis.hgetall(keys.workerMetrics(registration.worker_id));
      const metrics =
        hash.analyses_processed === undefined
          ? null
          : {
              analyses_processed: Number(hash.analyses_processed),
              errors_total: Number(hash.errors_total ?? 0),
              avg_processing_time: Number(hash.avg_processing_time ?? 0),
              uptime: Number(hash.uptime ?? 0),
            };
      return { ...registration, ...stalledJobCounts(hash), metrics };
    }),
  );
  return workers.sort((a, b) => a.worker_id.localeCompare(b.worker_id));
}

const count = (text: string | undefined) => (text === undefined ? undefined : Number(text));

/** The last hour's counts as workers.list shows them, and the totals, when the worker has published them. */
function stalledJobCounts(hash: Record<string, string>): Partial<StalledJobCounts> & { totals?: StalledJobCounts } {
  const reclaims = count(hash.reclaims_last_hour);
  if (reclaims === undefined) return {};
  return {
    reclaims,
    poison_messages: count(hash.poison_messages_last_hour) ?? 0,
    takeovers: count(hash.takeovers_last_hour) ?? 0,
    totals: {
      reclaims: count(hash.reclaims_total) ?? 0,
      poison_messages: count(hash.poison_messages_total) ?? 0,
      takeovers: count(hash.takeovers_total) ?? 0,
    },
  };
}
