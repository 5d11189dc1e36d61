/**
 * The producer side of the job queue: queue a job (one Lua script), read job records,
 * and the queue statistics. The worker side is consumerQueue.ts.
 */
import { ulid } from 'ulid';
import { runScript } from './luaScripts.js';
import { type QueueKeys } from './keys.js';
import { type JobRecord, type JobRequest, pairsToHash, recordFromHash } from './jobRecord.js';
import { progressEvent } from './progressEvent.js';
import type { RedisClient } from './redisConnection.js';

export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

export interface EnqueueOptions {
  idempotencyKey?: string;
}

export interface EnqueueResult {
  analysisId: string;
  /** False when an earlier request with the same idempotency key already queued it. */
  created: boolean;
}

export interface QueueStats {
  stream_name: string;
  total_jobs_in_stream: number;
  /** Entries delivered to a consumer and not yet acknowledged. */
  pending_jobs: number;
  /** Entries not yet delivered to any consumer. */
  waiting_jobs: number;
  /** Consumers of live (heartbeating) worker processes. */
  active_consumers: number;
  timestamp: string;
}

export function newAnalysisId(): string {
  return `analysis_${ulid()}`;
}

export async function ensureConsumerGroup(redis: RedisClient, keys: QueueKeys): Promise<void> {
  try {
    await redis.xgroup('CREATE', keys.stream, keys.group, '0', 'MKSTREAM');
  } catch (error) {
    if (!String(error).includes('BUSYGROUP')) throw error;
  }
}

export function createJobQueue(redis: RedisClient, keys: QueueKeys) {
  async function enqueue(request: JobRequest, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    const analysisId = newAnalysisId();
    const now = Date.now();
    const record = { analysis_id: analysisId, ...request, status: 'queued', created_at: now, updated_at: now, attempts: 0 };
    const idempotencyTtl = options.idempotencyKey ? IDEMPOTENCY_TTL_SECONDS : 0;
    const reply = (await runScript(
      redis,
      'enqueueJob',
      [keys.stream, keys.job(analysisId), keys.userJobs(request.user_id), keys.idempotency(request.user_id, options.idempotencyKey ?? '-'), keys.progress(analysisId)],
      [analysisId, now, keys.progressChannel(), idempotencyTtl, JSON.stringify(progressEvent('queued', 'queued', 0, 'queued')), ...Object.entries(record).flat().map(String)],
    )) as [string, number];
    return { analysisId: reply[0], created: reply[1] === 1 };
  }

  async function get(analysisId: string): Promise<JobRecord | undefined> {
    return recordFromHash(await redis.hgetall(keys.job(analysisId)));
  }

  async function stats(): Promise<QueueStats> {
    const [length, groups, consumers, liveConsumers] = await Promise.all([
      redis.xlen(keys.stream),
      redis.xinfo('GROUPS', keys.stream) as Promise<unknown[][]>,
      redis.xinfo('CONSUMERS', keys.stream, keys.group) as Promise<unknown[][]>,
      liveConsumerNames(),
    ]);
    const group = groups.map((fields) => pairsToHash(fields.map(String))).find((fields) => fields.name === keys.group);
    const consumerNames = consumers.map((fields) => pairsToHash(fields.map(String)).name ?? '');
    return {
      stream_name: keys.stream,
      total_jobs_in_stream: length,
      pending_jobs: Number(group?.pending ?? 0),
      waiting_jobs: Number(group?.lag ?? 0),
      active_consumers: consumerNames.filter((name) => liveConsumers.has(name)).length,
      timestamp: new Date().toISOString(),
    };
  }

  /** Consumer names listed by the heartbeat registrations that have not expired. */
  async function liveConsumerNames(): Promise<Set<string>> {
    const names = new Set<string>();
    const heartbeatKeys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', keys.workerHeartbeatPattern(), 'COUNT', 200);
      heartbeatKeys.push(...found);
      cursor = next;
    } while (cursor !== '0');
    const registrations = await Promise.all(heartbeatKeys.map((key) => redis.get(key)));
    for (const registration of registrations) {
      if (!registration) continue;
      const parsed = JSON.parse(registration) as { consumers?: string[] };
      for (const name of parsed.consumers ?? []) names.add(name);
    }
    return names;
  }

  return { enqueue, get, stats };
}

export type JobQueue = ReturnType<typeof createJobQueue>;
