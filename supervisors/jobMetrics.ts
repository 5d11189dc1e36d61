/**
 * What a worker process counts about its jobs for /metrics (prom-client): entries reclaimed
 * from silent consumers, poison messages dead-lettered, processing jobs taken over, the time a
 * job waits from queued to processing, and job and stage durations by outcome. The three
 * stalled-job counts are also kept over the last hour, for the worker's registration
 * (workers.list). One instance per worker node, registered into that node's registry.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { StalledJobCounts } from '../storage/workerRegistry.js';
import { createHourCount } from './hourCount.js';

/** `ok` for a stage that finished; otherwise how the job ended. */
export type JobMetricOutcome = 'completed' | 'failed' | 'cancelled' | 'retried' | 'dead-lettered';
export type StageMetricOutcome = 'ok' | 'failed' | 'cancelled';

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const WAIT_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800];

export function createJobMetrics(now: () => number = Date.now) {
  const reclaims = new Counter({
    name: 'candela_job_reclaims_total',
    help: 'Stream entries this worker took over from consumers silent longer than the claim timeout',
    registers: [],
  });
  const poison = new Counter({
    name: 'candela_poison_messages_total',
    help: 'Entries dead-lettered for being delivered more than ANALYSIS_MAX_DELIVERIES times',
    registers: [],
  });
  const takeovers = new Counter({
    name: 'candela_job_takeovers_total',
    help: 'Processing jobs this worker took over from another worker',
    registers: [],
  });
  const queueWait = new Histogram({
    name: 'candela_queue_wait_seconds',
    help: 'Time from queued (the stream entry) to processing (claimed by this worker)',
    buckets: WAIT_BUCKETS,
    registers: [],
  });
  const jobDuration = new Histogram({
    name: 'candela_job_duration_seconds',
    help: 'One attempt of a job on this worker, from claim to its end, by outcome',
    labelNames: ['outcome'],
    buckets: DURATION_BUCKETS,
    registers: [],
  });
  const stageDuration = new Histogram({
    name: 'candela_stage_duration_seconds',
    help: 'Pipeline stages (candles, patterns, chart, summary) by outcome',
    labelNames: ['stage', 'outcome'],
    buckets: DURATION_BUCKETS,
    registers: [],
  });
  const queueWaitObserver = queueWait.labels();
  /** The histogram's child per outcome, taken once: observing by a labels object rebuilt its observer on every job. */
  const durationByOutcome = new Map<JobMetricOutcome, ReturnType<typeof jobDuration.labels>>();
  const durationOf = (outcome: JobMetricOutcome) => {
    let child = durationByOutcome.get(outcome);
    if (!child) durationByOutcome.set(outcome, (child = jobDuration.labels({ outcome })));
    return child;
  };
  const hour = { reclaims: createHourCount(), poison_messages: createHourCount(), takeovers: createHourCount() };
  const totals: StalledJobCounts = { reclaims: 0, poison_messages: 0, takeovers: 0 };
  const count = (kind: keyof StalledJobCounts, counter: Counter, amount: number) => {
    if (amount <= 0) return;
    counter.inc(amount);
    totals[kind] += amount;
    hour[kind].add(amount, now());
  };

  return {
    registerInto(registry: Registry): void {
      for (const metric of [reclaims, poison, takeovers, queueWait, jobDuration, stageDuration])
        registry.registerMetric(metric);
    },
    reclaimed(amount: number): void {
      count('reclaims', reclaims, amount);
    },
    poisoned(amount: number): void {
      count('poison_messages', poison, amount);
    },
    tookOver(amount: number): void {
      count('takeovers', takeovers, amount);
    },
    waited(seconds: number): void {
      queueWaitObserver.observe(Math.max(0, seconds));
    },
    jobEnded(outcome: JobMetricOutcome, seconds: number): void {
      durationOf(outcome).observe(Math.max(0, seconds));
    },
    stageEnded(stage: string, outcome: StageMetricOutcome, seconds: number): void {
      stageDuration.observe({ stage, outcome }, Math.max(0, seconds));
    },
    /** Since this process started. */
    totals(): StalledJobCounts {
      return { ...totals };
    },
    lastHour(): StalledJobCounts {
      const at = now();
      return {
        reclaims: hour.reclaims.total(at),
        poison_messages: hour.poison_messages.total(at),
        takeovers: hour.takeovers.total(at),
      };
    },
  };
}

export type JobMetrics = ReturnType<typeof createJobMetrics>;
