/**
 * Registers this worker process (`workers:analysis-workers:{id}`, TTL about three health-check
 * intervals) and publishes its metrics hash (`worker_metrics:analysis-workers:{id}`). Circuit
 * state shows as the worst across dependencies (`circuit_breaker_state`) in both, and per
 * dependency (`circuits`) in the registration; a change is published at once.
 */
import { hostname } from 'node:os';
import type { Logger } from '../config/logger.js';
import type { QueueKeys } from '../storage/keys.js';
import type { RedisClient } from '../storage/redisConnection.js';
import {
  createWorkerRegistry,
  type StalledJobFields,
  type WorkerMetricsFields,
  type WorkerRegistration,
} from '../storage/workerRegistry.js';
import type { Clock } from './clock.js';
import type { CircuitState } from '../storage/circuitState.js';
import type { Dependency } from './dependencyGate.js';
import type { JobOutcome } from './jobOutcome.js';
import { type ActorParent, type ActorRef, type ChildCrashed, send, spawnActor } from './typedActor.js';

export type { CircuitState };
export type CircuitStates = Record<Dependency, CircuitState>;

export type HeartbeatMessage =
  | { type: 'heartbeat.beat' }
  | { type: 'metrics.publish' }
  /** What one consumer step ended, in one message rather than one per job. */
  | { type: 'jobs.finished'; jobs: readonly { status: JobOutcome['status']; durationMs: number }[] }
  | { type: 'circuit.changed'; state: CircuitState; circuits: CircuitStates }
  | { type: 'heartbeat.stop'; replyTo: ActorRef<boolean> }
  | { type: 'metrics.snapshot'; replyTo: ActorRef<WorkerMetricsSnapshot> };

/** The metrics hash's fields, plus the per-dependency circuits (for /metrics on METRICS_PORT). */
export interface WorkerMetricsSnapshot {
  analyses_processed: number;
  errors_total: number;
  avg_processing_time: number;
  uptime: number;
  circuit_breaker_state: CircuitState;
  circuits: CircuitStates;
}

export interface HeartbeatOptions {
  workerId: string;
  consumerNames: readonly string[];
  redis: RedisClient;
  keys: QueueKeys;
  healthCheckMs: number;
  registrationTtlSeconds: number;
  metricsMs: number;
  metricsTtlSeconds: number;
  clock: Clock;
  log: Logger;
  supervisor: ActorRef<ChildCrashed>;
  /** The stalled-job counts to publish with the metrics (reclaims, poison messages, takeovers). */
  stalledJobs?: () => StalledJobFields;
}

interface WorkerMetrics {
  processed: number;
  errors: number;
  totalProcessingMs: number;
  circuit: CircuitState;
  circuits: CircuitStates;
  stopped: boolean;
}

/** The metrics after these jobs ended: only completed jobs count toward processed and the average time. */
function counted(
  metrics: WorkerMetrics,
  jobs: readonly { status: JobOutcome['status']; durationMs: number }[],
): WorkerMetrics {
  let { processed, errors, totalProcessingMs } = metrics;
  for (const job of jobs) {
    if (job.status === 'completed') {
      processed += 1;
      totalProcessingMs += job.durationMs;
    } else if (job.status === 'failed') errors += 1;
  }
  return { ...metrics, processed, errors, totalProcessingMs };
}

export function spawnHeartbeatActor(parent: ActorParent, options: HeartbeatOptions): ActorRef<HeartbeatMessage> {
  const { redis, keys, workerId, clock } = options;
  const startedAt = clock.now();
  const registry = createWorkerRegistry(redis, keys);

  const registration = (metrics: WorkerMetrics): WorkerRegistration => ({
    worker_id: workerId,
    host: hostname(),
    pid: process.pid,
    consumers: [...options.consumerNames],
    started_at: new Date(startedAt).toISOString(),
    circuit_breaker_state: metrics.circuit,
    circuits: metrics.circuits,
    last_seen: new Date(clock.now()).toISOString(),
  });

  const metricsFields = (metrics: WorkerMetrics): Omit<WorkerMetricsSnapshot, 'circuits'> => ({
    analyses_processed: metrics.processed,
    errors_total: metrics.errors,
    avg_processing_time: metrics.processed === 0 ? 0 : Math.round(metrics.totalProcessingMs / metrics.processed),
    uptime: Math.round((clock.now() - startedAt) / 1000),
    circuit_breaker_state: metrics.circuit,
  });

  const publishedFields = (metrics: WorkerMetrics): WorkerMetricsFields & Partial<StalledJobFields> => ({
    ...metricsFields(metrics),
    ...options.stalledJobs?.(),
  });

  const warnOnFailure = (what: string) => (error: Error) =>
    options.log.warn({ err: error }, `${what} failed; next interval will retry`);

  return spawnActor<WorkerMetrics, HeartbeatMessage>(parent, {
    name: 'heartbeat',
    supervisor: options.supervisor,
    initialState: {
      processed: 0,
      errors: 0,
      totalProcessingMs: 0,
      circuit: 'closed',
      circuits: { 'market-data': 'closed', llm: 'closed', store: 'closed' },
      stopped: false,
    },
    receive(state, message, self) {
      switch (message.type) {
        case 'heartbeat.beat':
          if (state.stopped) return state;
          registry.register(registration(state), options.registrationTtlSeconds).catch(warnOnFailure('heartbeat'));
          clock.after(options.healthCheckMs, () => send(self, { type: 'heartbeat.beat' }));
          return state;
        case 'metrics.publish':
          if (state.stopped) return state;
          registry
            .publishMetrics(workerId, publishedFields(state), options.metricsTtlSeconds)
            .catch(warnOnFailure('metrics publish'));
          clock.after(options.metricsMs, () => send(self, { type: 'metrics.publish' }));
          return state;
        case 'jobs.finished':
          return counted(state, message.jobs);
        case 'circuit.changed': {
          const next = { ...state, circuit: message.state, circuits: message.circuits };
          if (!state.stopped) {
            registry.register(registration(next), options.registrationTtlSeconds).catch(warnOnFailure('heartbeat'));
            registry.publishCircuitState(workerId, message.state).catch(warnOnFailure('metrics publish'));
          }
          return next;
        }
        case 'metrics.snapshot':
          send(message.replyTo, { ...metricsFields(state), circuits: state.circuits });
          return state;
        case 'heartbeat.stop': {
          const replyTo = message.replyTo;
          registry.deregister(workerId, publishedFields(state)).then(
            () => send(replyTo, true),
            () => send(replyTo, false),
          );
          return { ...state, stopped: true };
        }
      }
    },
  });
}
