/**
 * A worker process's runtime: connections, the consumer group, the actor system and its
 * supervision tree, the cancel-request subscriber (a connection of its own, forwarding to the
 * supervisor), and graceful shutdown (stop reading, let in-flight jobs finish within the
 * grace period, leave the rest pending for reclaim, deregister, close).
 */
import { hostname } from 'node:os';
import { useActorLogger } from '../actors/actorDiagnostics.js';
import { type Clock, systemClock } from '../actors/clock.js';
import type { JobActorFactory } from '../actors/jobActorFactory.js';
import { spawnJobActor } from '../actors/jobActor.js';
import type { ExternalServices } from '../actors/jobServices.js';
import { type ActorRef, ask, send, startActorSystem } from '../actors/typedActor.js';
import type { Config } from '../config/env.js';
import { workerTimings } from '../config/workerTimings.js';
import type { Logger } from '../config/logger.js';
import { ensureArchiveGroup } from '../storage/archiveOutbox.js';
import { createGridFsChartSweep } from '../storage/charts/gridFsChartSweep.js';
import { createChartFileSweep } from '../storage/charts/chartFileSweep.js';
import { bothChartSweeps } from '../storage/charts/bothChartSweeps.js';
import { chartDirectory } from '../storage/charts/chartDirectories.js';
import type { MongoStores } from '../storage/mongo/mongoStores.js';
import { createJobQueue, ensureConsumerGroups } from '../storage/jobQueue.js';
import { checkPartitionCount } from '../storage/partitionCount.js';
import { createPartitionedConsumerQueue } from '../storage/partitionedConsumerQueue.js';
import {
  createPartitionedArchiveOutbox,
  createPartitionedRetentionSweep,
  createPartitionedRetrySchedule,
} from '../storage/partitionedStores.js';
import { withSharedAnalyses } from '../actors/sharedAnalysisActor.js';
import { spawnWebhookDeliveryActor } from '../actors/webhookDeliveryActor.js';
import { spawnAdmitterActor } from '../actors/admitterActor.js';
import { ADMIT_MAX_PER_CALL, admitEveryPartition } from '../storage/admission/admission.js';
import { spawnScheduleRunnerActor } from '../actors/scheduleRunnerActor.js';
import { createScheduleStore, scheduleStoreOptions } from '../storage/schedules/scheduleStore.js';
import { createAnalysisCache } from '../storage/analysisCache.js';
import { createAlertStore } from '../storage/alerts/alertStore.js';
import { createWebhookQueue } from '../storage/alerts/webhookQueue.js';
import { createScanStore, scanStoreOptions } from '../storage/scans/scanStore.js';
import { withEndedJobsListener } from '../storage/scans/settlingQueue.js';
import { createKeys } from '../storage/keys.js';
import { closeRedis, connectRedis, type RedisClient } from '../storage/redisConnection.js';
import type { WorkerMetricsSnapshot } from '../actors/heartbeatActor.js';
import { startWorkerMetricsServer } from './workerMetricsServer.js';
import { createJobMetrics, type JobMetrics } from './jobMetrics.js';
import { observeConsumerQueue } from './observedConsumerQueue.js';
import { stalledJobFields } from '../storage/workerRegistry.js';
import {
  type DrainReport,
  type NodeChildren,
  spawnNodeSupervisor,
  type SupervisorMessage,
  type SupervisorOptions,
} from './nodeSupervisor.js';
import { retryDelayMs } from './retryPolicy.js';

export interface WorkerNodeOptions {
  config: Config;
  services: ExternalServices;
  log: Logger;
  spawnJob?: JobActorFactory;
  clock?: Clock;
  /** How long one XREADGROUP blocks; shorter means a quicker drain. */
  blockMs?: number;
  onEscalate?: (error: Error) => void;
  /** Restart policies per kind of child, instead of the node's defaults (tests). */
  policies?: SupervisorOptions['policies'];
  /** MONGODB_URL's stores: terminal jobs are archived into its history (outbox + archiver). */
  mongo?: MongoStores;
}

export interface WorkerNode {
  workerId: string;
  consumerNames: string[];
  /** The supervision tree's children by name (each reaches its current incarnation). */
  children: NodeChildren;
  /** Where /metrics listens, when METRICS_PORT is set. */
  metricsPort: number | undefined;
  /** What this process counted about its jobs (also on /metrics). */
  jobMetrics: JobMetrics;
  shutdown(graceMs: number): Promise<void>;
}

const ASK_TIMEOUT_MS = 5000;
/** Commands wait for Redis to come back (maxRetriesPerRequest: null); a stopping process does not. */
const CLEANUP_TIMEOUT_MS = 3000;
/** Retention sweeps: once a second, at most this many index entries and chart files per tick. */
const RETENTION_INTERVAL_MS = 1000;
const RETENTION_BATCH = 500;
/** Archiving: ids per batch, and the pause after a batch that was not full. */
const ARCHIVE_BATCH = 500;
const ARCHIVE_INTERVAL_MS = 200;
const ARCHIVE_BATCH_TIMEOUT_MS = 30_000;
/** Fair admission's safety net: how often each worker admits waiting jobs besides the finish path. */
const ADMISSION_INTERVAL_MS = 500;

/** Safe in nact names and Redis keys alike: host names may hold dots, pids never collide on one host. */
export function workerIdFor(host: string, pid: number): string {
  return `worker-${host.toLowerCase().replace(/[^a-z0-9-]/g, '-')}-${pid}`;
}

export async function startWorkerNode(options: WorkerNodeOptions): Promise<WorkerNode> {
  const { config, log, mongo } = options;
  const clock = options.clock ?? systemClock;
  const keys = createKeys(undefined, undefined, config.ANALYSIS_QUEUE_PARTITIONS);
  const workerId = workerIdFor(hostname(), process.pid);
  const redis = connectRedis(config, `candela:${workerId}`, { autoPipelining: false, writesPerTurn: true });
  await checkPartitionCount(redis, keys);
  await ensureConsumerGroups(redis, keys);
  // A blocking connection carries one read at a time: auto-pipelining would only add a pipeline per read.
  const blocking: RedisClient[] = Array.from({ length: config.ANALYSIS_WORKER_CONCURRENCY }, (_, index) =>
    connectRedis(config, `candela:${workerId}:read-${index}`, { autoPipelining: false }),
  );
  const consumerName = (index: number) => `${workerId}-c${index}`;
  const timings = workerTimings(config);
  // An entry read more than half a claim timeout ago may have been taken over meanwhile: the claim script checks it again.
  const consumerOptions = {
    maxDeliveries: config.ANALYSIS_MAX_DELIVERIES,
    deadLetterMax: config.ANALYSIS_DEAD_LETTER_MAX,
    freshForMs: Math.floor(timings.claimTimeoutMs / 2),
    resultTtlSeconds: config.ANALYSIS_RESULT_TTL,
    archiving: mongo !== undefined,
    admissionBacklog: config.ANALYSIS_ADMISSION_BACKLOG,
  };
  if (mongo) await Promise.all(keys.all().map((partition) => ensureArchiveGroup(redis, partition)));
  const circuit = {
    failureThreshold: config.ANALYSIS_CIRCUIT_FAILURE_THRESHOLD,
    resetTimeoutMs: timings.circuitResetMs,
  };
  const scans = createScanStore(
    redis,
    keys,
    createJobQueue(redis, keys, { admissionBacklog: config.ANALYSIS_ADMISSION_BACKLOG }),
    scanStoreOptions(config),
  );
  const alerts = createAlertStore(redis, keys);
  // After a job ends: count it on its scan, and match its result against its user's alert rules.
  const jobMetrics = createJobMetrics();
  // The listener wraps each partition's queue: the ids it is given share one slot, as its pipelines need.
  const queue = observeConsumerQueue(
    createPartitionedConsumerQueue(redis, keys, consumerOptions, (partitionQueue) =>
      withEndedJobsListener(
        partitionQueue,
        async (ids) => void (await Promise.all([scans.settleEnded(ids), alerts.matchEnded(ids)])),
        log,
      ),
    ),
    jobMetrics,
  );
  const webhooks = createWebhookQueue(redis, keys);
  // Injected job actors (tests, benchmarks) run as given; the real analysis shares identical results.
  const spawnJob =
    options.spawnJob ??
    (config.ANALYSIS_SHARED_CACHE === 'on'
      ? withSharedAnalyses(
          spawnJobActor,
          createAnalysisCache(redis, keys, { ownerTtlMs: timings.jobTimeoutMs + timings.claimTimeoutMs }),
          config.MARKET_DATA_PROVIDER,
        )
      : spawnJobActor);

  useActorLogger(log);
  const chartFiles = createChartFileSweep(chartDirectory(config.DATA_DIR), config.ANALYSIS_RESULT_TTL);
  const system = startActorSystem(workerId);
  const supervisor = spawnNodeSupervisor(system.root, {
    consumerCount: config.ANALYSIS_WORKER_CONCURRENCY,
    services: options.services,
    circuit,
    consumer: (index) => ({
      name: consumerName(index),
      queue,
      blockingRedis: blocking[index]!,
      batchSize: config.ANALYSIS_WORKER_BATCH_SIZE,
      blockMs: options.blockMs ?? timings.readBlockMs,
      claimRefreshMs: timings.claimRefreshMs,
      maxRetries: config.ANALYSIS_MAX_RETRIES,
      retryDelayMs: (retriesSoFar, random, retryAfterMs) =>
        retryDelayMs(retriesSoFar, { baseMs: timings.retryBaseMs, random: () => random }, retryAfterMs),
      jobTimeoutMs: timings.jobTimeoutMs,
      spawnJob,
      clock,
      log,
    }),
    reclaimer: {
      queue,
      claimTimeoutMs: timings.claimTimeoutMs,
      intervalMs: timings.reclaimIntervalMs,
      sweepTimeoutMs: timings.reclaimSweepTimeoutMs,
      countPerCall: config.ANALYSIS_WORKER_BATCH_SIZE,
      maxPerSweep: config.ANALYSIS_WORKER_BATCH_SIZE * config.ANALYSIS_WORKER_CONCURRENCY,
      clock,
      log,
    },
    scheduler: {
      schedule: createPartitionedRetrySchedule(redis, keys),
      intervalMs: timings.retryPollMs,
      batchSize: 100,
      moveTimeoutMs: timings.retryMoveTimeoutMs,
      clock,
      log,
    },
    heartbeat: {
      workerId,
      redis,
      keys,
      healthCheckMs: timings.heartbeatMs,
      registrationTtlSeconds: timings.registrationTtlSeconds,
      metricsMs: timings.metricsMs,
      metricsTtlSeconds: timings.metricsTtlSeconds,
      stalledJobs: () => stalledJobFields(jobMetrics.totals(), jobMetrics.lastHour()),
      clock,
      log,
    },
    retention: {
      sweep: createPartitionedRetentionSweep(redis, keys),
      // GridFS charts follow the MongoDB history (ANALYSIS_HISTORY_TTL); files follow the Redis result TTL,
      // also with MongoDB, which leaves on disk the charts written before it was configured.
      charts: mongo
        ? bothChartSweeps(createGridFsChartSweep(mongo.charts, config.ANALYSIS_HISTORY_TTL), chartFiles)
        : chartFiles,
      intervalMs: RETENTION_INTERVAL_MS,
      batchSize: RETENTION_BATCH,
      timeoutMs: timings.retryMoveTimeoutMs,
      clock,
      log,
    },
    ...(mongo
      ? {
          archiver: {
            outbox: createPartitionedArchiveOutbox(redis, keys, { resultTtlSeconds: config.ANALYSIS_RESULT_TTL }),
            history: mongo.history,
            consumer: `${workerId}-archiver`,
            batchSize: ARCHIVE_BATCH,
            intervalMs: ARCHIVE_INTERVAL_MS,
            claimTimeoutMs: timings.claimTimeoutMs,
            batchTimeoutMs: ARCHIVE_BATCH_TIMEOUT_MS,
            circuit,
            clock,
            log,
          },
        }
      : {}),
    periodic: [
      {
        start(parent, supervisor) {
          const admitter = spawnAdmitterActor(parent, {
            admission: admitEveryPartition(redis, keys, config.ANALYSIS_ADMISSION_BACKLOG),
            intervalMs: ADMISSION_INTERVAL_MS,
            timeoutMs: timings.retryMoveTimeoutMs,
            fullRound: ADMIT_MAX_PER_CALL,
            clock,
            log,
            supervisor,
          });
          send(admitter, { type: 'admission.tick' });
          return admitter;
        },
      },
      {
        start(parent, supervisor) {
          const delivery = spawnWebhookDeliveryActor(parent, {
            queue: webhooks,
            settings: {
              timeoutMs: config.ALERT_WEBHOOK_TIMEOUT * 1000,
              retryForMs: config.ALERT_WEBHOOK_RETRY_FOR * 1000,
              retryBaseMs: config.ALERT_WEBHOOK_RETRY_BASE_MS,
              allowPrivate: config.ALERT_WEBHOOK_ALLOW_PRIVATE,
              batchSize: 20,
            },
            intervalMs: config.ALERT_WEBHOOK_POLL_MS,
            clock,
            log,
            supervisor,
          });
          send(delivery, { type: 'webhooks.tick' });
          return delivery;
        },
      },
      {
        start(parent, supervisor) {
          const runner = spawnScheduleRunnerActor(parent, {
            schedules: createScheduleStore(redis, keys, scans, scheduleStoreOptions(config)),
            intervalMs: config.SCHEDULE_POLL_MS,
            batchSize: 50,
            roundTimeoutMs: timings.retryMoveTimeoutMs,
            clock,
            log,
            supervisor,
          });
          send(runner, { type: 'schedules.tick' });
          return runner;
        },
      },
    ],
    deregistration: { queue, timeoutMs: CLEANUP_TIMEOUT_MS },
    ...(options.policies ? { policies: options.policies } : {}),
    clock,
    log,
    onEscalate:
      options.onEscalate ??
      ((error) => {
        log.fatal({ err: error }, 'worker node cannot recover; exiting');
        process.exit(1);
      }),
  });
  const children = await ask(
    supervisor,
    (replyTo: ActorRef<NodeChildren>) => ({ type: 'node.start' as const, replyTo }),
    ASK_TIMEOUT_MS,
  );
  const cancelSubscriber = await subscribeToCancelRequests(
    connectRedis(config, `candela:${workerId}:cancel`),
    keys.cancelChannel(),
    supervisor,
    log,
  );
  const metricsServer =
    config.METRICS_PORT === undefined
      ? undefined
      : await startWorkerMetricsServer(
          config.METRICS_PORT,
          config.HOST,
          () =>
            ask(
              children.heartbeat,
              (replyTo: ActorRef<WorkerMetricsSnapshot>) => ({ type: 'metrics.snapshot' as const, replyTo }),
              ASK_TIMEOUT_MS,
            ),
          jobMetrics,
        );
  log.info(
    {
      workerId,
      consumers: config.ANALYSIS_WORKER_CONCURRENCY,
      batchSize: config.ANALYSIS_WORKER_BATCH_SIZE,
      metricsPort: metricsServer?.port,
    },
    'worker started',
  );

  async function shutdown(graceMs: number): Promise<void> {
    log.info({ workerId, graceMs }, 'shutting down: no new jobs; waiting for in-flight jobs');
    // The supervisor answers when the consumers are drained or the grace period (on its clock) is over; no answer at all is not "idle".
    const drain = await ask(
      supervisor,
      (replyTo: ActorRef<DrainReport>) => ({ type: 'node.drain' as const, graceMs, replyTo }),
      graceMs + ASK_TIMEOUT_MS,
    ).catch((): DrainReport => {
      send(supervisor, { type: 'node.abort' });
      return { drained: false, stillBusy: ['(the supervisor did not answer)'] };
    });
    if (!drain.drained)
      log.warn(
        { workerId, stillBusy: drain.stillBusy },
        'grace period over; unfinished jobs stay pending for another worker to reclaim',
      );
    const deregistered = await ask(
      supervisor,
      (replyTo: ActorRef<boolean>) => ({ type: 'node.deregister' as const, replyTo }),
      CLEANUP_TIMEOUT_MS,
    ).catch(() => false);
    if (!deregistered)
      log.warn({ workerId }, 'Redis did not answer while deregistering; the heartbeat key expires by itself');
    await metricsServer?.close();
    system.shutdown();
    await Promise.all([redis, cancelSubscriber, ...blocking].map(closeRedis));
    await mongo?.connection.close().catch(() => undefined);
    log.info({ workerId }, 'worker stopped');
  }

  return {
    workerId,
    consumerNames: children.consumers.map((consumer) => consumer.name),
    children,
    metricsPort: metricsServer?.port,
    jobMetrics,
    shutdown,
  };
}

/**
 * The API's cancel route marks a processing job `cancel_requested` and publishes its id; the
 * supervisor forwards it to its consumers, and the one running the job aborts it. (A message
 * lost while this connection is down is caught by the next claim refresh.)
 */
async function subscribeToCancelRequests(
  subscriber: RedisClient,
  channel: string,
  supervisor: ActorRef<SupervisorMessage>,
  log: Logger,
): Promise<RedisClient> {
  subscriber.on('message', (_channel: string, text: string) => {
    try {
      const { analysis_id: analysisId } = JSON.parse(text) as { analysis_id?: unknown };
      if (typeof analysisId === 'string') send(supervisor, { type: 'node.cancelJob', analysisId });
    } catch {
      log.warn({ text }, 'ignoring a malformed cancel request');
    }
  });
  await subscriber.subscribe(channel);
  return subscriber;
}
