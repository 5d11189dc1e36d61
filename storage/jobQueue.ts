/**
 * The producer side of the job queue: queue a job (one Lua script), read job records,
 * and the queue statistics. The worker side is consumerQueue.ts.
 * The jobs an API node queues in one turn of the event loop go out in one script call per
 * partition (turnBatcher.ts), each job checked and written as if on its own: one call per job
 * cost redis-server a script's set-up and its shared keys and arguments every time.
 */
import { ActiveJobLimitReached, withinCap } from './activeJobs.js';
import {
  type AdmissionCounts,
  type AdmissionSettings,
  admissionLimit,
  admissionScriptKeys,
  createAdmission,
} from './admission/admission.js';
import { newAnalysisId } from './analysisId.js';
import { type QueueKeys } from './keys.js';
import { type JobRecord, type JobRequest, readJobRecord } from './jobRecord.js';
import type { RedisClient } from './redisConnection.js';
import { type PartitionStats, partitionStats } from './partitionStats.js';
import {
  IDEMPOTENCY_TTL_SECONDS,
  idempotencyKeyTtl,
  PROGRESS_LOG_MAX_EVENTS,
  type RetentionSettings,
  retentionArgs,
  TERMINAL_PROGRESS_TTL_SECONDS,
} from './retention.js';
import { runScript } from './scripts/runScript.js';
import type { CallOf } from './scripts/scriptDefinition.js';
import { cancelJob, type EnqueueReply, enqueueJobs } from './scripts/scriptTable.js';
import { createTurnBatcher, type TurnBatcher } from './turnBatcher.js';
import { liveRegistrations } from './workerRegistry.js';
import { ReplicasUnavailable, waitForReplicas } from './replicaAcks.js';

export type { PartitionStats };
export { ActiveJobLimitReached, IDEMPOTENCY_TTL_SECONDS, ReplicasUnavailable, TERMINAL_PROGRESS_TTL_SECONDS };

export interface JobQueueOptions extends RetentionSettings, AdmissionSettings {
  /** Cap on one user's queued + processing jobs, enforced atomically by the enqueue script. */
  maxActiveJobsPerUser?: number;
  /** Replicas that must hold a new job before enqueue answers (0: do not wait). */
  minReplicas?: number;
  /** How long enqueue waits for them before it reports ReplicasUnavailable. */
  replicaTimeoutMs?: number;
}

export type CancelOutcome =
  | { outcome: 'cancelled' }
  | { outcome: 'requested' }
  | { outcome: 'terminal'; status: string }
  | { outcome: 'missing' };

export interface ListOptions {
  limit: number;
  offset: number;
}

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
  /** With ANALYSIS_QUEUE_PARTITIONS > 1: the same figures per partition (the fields above are their sums). */
  partitions?: PartitionStats[];
}

export type QueueStatsWithAdmission = QueueStats & AdmissionCounts;

type EnqueueItem = CallOf<typeof enqueueJobs>['items'][number];

/** Jobs a script call queues at most: a bigger batch holds redis-server for longer. */
const ENQUEUE_BATCH_MAX = 100;

export { newAnalysisId };

export async function ensureConsumerGroup(redis: RedisClient, keys: QueueKeys): Promise<void> {
  try {
    await redis.xgroup('CREATE', keys.stream, keys.group, '0', 'MKSTREAM');
  } catch (error) {
    if (!String(error).includes('BUSYGROUP')) throw error;
  }
}

/** The consumer group on every partition's stream. */
export async function ensureConsumerGroups(redis: RedisClient, keys: QueueKeys): Promise<void> {
  await Promise.all(keys.all().map((partition) => ensureConsumerGroup(redis, partition)));
}

export function createJobQueue(redis: RedisClient, keys: QueueKeys, options: JobQueueOptions = {}) {
  const maxActive = options.maxActiveJobsPerUser ?? Number.MAX_SAFE_INTEGER;
  const retention = retentionArgs(options);
  const minReplicas = options.minReplicas ?? 0;
  const replicaTimeoutMs = options.replicaTimeoutMs ?? 1000;
  // Each partition admits into its own stream.
  const admissions = keys.all().map((partition) => createAdmission(redis, partition, options));
  const limit = admissionLimit(options);

  const batchers = new Map<number, TurnBatcher<EnqueueItem, EnqueueReply>>();
  function batcherFor(partition: QueueKeys): TurnBatcher<EnqueueItem, EnqueueReply> {
    let batcher = batchers.get(partition.partition);
    if (!batcher) {
      const fixed = {
        keys: { stream: partition.stream, ...admissionScriptKeys(partition) },
        args: { maxActive, progressLogMax: PROGRESS_LOG_MAX_EVENTS, group: keys.group, admissionLimit: limit },
      };
      batcher = createTurnBatcher<EnqueueItem, EnqueueReply>(
        (items) => runScript(redis, enqueueJobs, { ...fixed, items }),
        ENQUEUE_BATCH_MAX,
      );
      batchers.set(partition.partition, batcher);
    }
    return batcher;
  }

  async function enqueue(request: JobRequest, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    // The user's partition: the record, the user's indexes and cap and the stream entry share its slot.
    const partition = keys.forUser(request.user_id);
    const analysisId = newAnalysisId(undefined, partition.partition);
    const now = Date.now();
    // The script writes the id, user, status, times and attempts from its own arguments.
    const { user_id: _userId, ...requestFields } = request;
    const record = {
      ...requestFields,
      // Named on the retention schedule when the job ends, so the key expires with the job.
      ...(options.idempotencyKey ? { idempotency_key: options.idempotencyKey } : {}),
    };
    const idempotencyTtl = options.idempotencyKey ? idempotencyKeyTtl(retention.resultTtl) : 0;
    const item: EnqueueItem = {
      keys: {
        job: keys.job(analysisId),
        userJobs: keys.userJobs(request.user_id),
        idempotency: keys.idempotency(request.user_id, options.idempotencyKey ?? ''),
        progress: keys.progress(analysisId),
        userActive: keys.userActiveJobs(request.user_id),
      },
      args: {
        analysisId,
        createdAt: now,
        idempotencyTtl,
        userId: request.user_id,
        record: Object.entries(record).flat().map(String),
      },
    };
    const batcher = batcherFor(partition);
    const reply = await withinCap(redis, keys, request.user_id, maxActive, () => batcher.add(item));
    if (minReplicas > 0) {
      const acknowledged = await waitForReplicas(redis, partition.stream, minReplicas, replicaTimeoutMs);
      if (acknowledged < minReplicas)
        throw new ReplicasUnavailable(reply.analysisId, acknowledged, minReplicas, replicaTimeoutMs);
    }
    return { analysisId: reply.analysisId, created: reply.outcome === 'queued' };
  }

  /** Cancels a job of this user: at once when queued, by request to its owner when processing. */
  async function cancel(analysisId: string, userId: string): Promise<CancelOutcome> {
    const own = keys.forJob(analysisId);
    const { outcome, status } = await runScript(redis, cancelJob, {
      keys: {
        job: keys.job(analysisId),
        progress: keys.progress(analysisId),
        userActive: keys.userActiveJobs(userId, own.partition),
        archive: own.archive(),
        retention: own.retentionSchedule(),
        admissionQueue: own.admission.queue,
        admissionWaiting: own.admission.waiting,
        admissionTags: own.admission.tags,
      },
      args: {
        userId,
        now: Date.now(),
        channel: keys.progressChannel(),
        cancelChannel: keys.cancelChannel(),
        progressLogMax: PROGRESS_LOG_MAX_EVENTS,
        ...retention,
      },
    });
    if (outcome === 'terminal') return { outcome, status };
    return { outcome };
  }

  /** The user's jobs, newest first. */
  async function list(userId: string, { limit, offset }: ListOptions): Promise<{ total: number; jobs: JobRecord[] }> {
    const [total, ids] = await Promise.all([
      redis.zcard(keys.userJobs(userId)),
      redis.zrevrange(keys.userJobs(userId), offset, offset + limit - 1),
    ]);
    const records = await Promise.all(ids.map((id) => get(id)));
    return { total, jobs: records.filter((record): record is JobRecord => record !== undefined) };
  }

  async function get(analysisId: string): Promise<JobRecord | undefined> {
    return readJobRecord(redis, keys, analysisId);
  }

  /** Sums over every partition in the original fields; with several partitions, each one's figures in `partitions`. */
  async function stats(): Promise<QueueStatsWithAdmission> {
    const liveConsumers = await liveConsumerNames();
    const [figures, admissionCounts] = await Promise.all([
      Promise.all(keys.all().map((partition) => partitionStats(redis, partition, liveConsumers))),
      Promise.all(admissions.map((partition) => partition.counts())),
    ]);
    const sum = (field: keyof Omit<PartitionStats, 'partition' | 'stream_name'>) =>
      figures.reduce((total, figure) => total + figure[field], 0);
    return {
      stream_name: keys.stream,
      total_jobs_in_stream: sum('total_jobs_in_stream'),
      pending_jobs: sum('pending_jobs'),
      waiting_jobs: sum('waiting_jobs'),
      // Every consumer reads every partition: the same consumers appear in each group.
      active_consumers: Math.max(0, ...figures.map((figure) => figure.active_consumers)),
      timestamp: new Date().toISOString(),
      waiting_for_admission: admissionCounts.reduce((total, counts) => total + counts.waiting_for_admission, 0),
      users_waiting_for_admission: admissionCounts.reduce(
        (total, counts) => total + counts.users_waiting_for_admission,
        0,
      ),
      ...(figures.length > 1 ? { partitions: figures } : {}),
    };
  }

  /** Consumer names listed by the heartbeat registrations that have not expired. */
  async function liveConsumerNames(): Promise<Set<string>> {
    return new Set((await liveRegistrations(redis, keys)).flatMap((registration) => registration.consumers));
  }

  return { enqueue, cancel, list, get, stats };
}

export type JobQueue = ReturnType<typeof createJobQueue>;
