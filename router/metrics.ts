/**
 * /metrics (Prometheus): queue depth and pending, the stalled-job counters of each live worker
 * (reclaims, poison messages, takeovers, labelled by worker), HTTP request counts and latency,
 * progress subscribers, event-loop delay.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { readAnalysisCacheStats } from '../storage/analysisCache.js';
import { corruptJobRecords } from '../storage/corruptRecords.js';
import { listWorkers, type StalledJobCounts } from '../storage/workerRegistry.js';
import type { ApiServices } from './apiServices.js';

const LOOP_RESOLUTION_MS = 10;

const STALLED_JOB_COUNTERS: { name: string; help: string; count: keyof StalledJobCounts }[] = [
  {
    name: 'candela_job_reclaims_total',
    help: 'Stream entries each worker took over from silent consumers',
    count: 'reclaims',
  },
  {
    name: 'candela_poison_messages_total',
    help: 'Poison messages each worker dead-lettered',
    count: 'poison_messages',
  },
  {
    name: 'candela_job_takeovers_total',
    help: 'Processing jobs each worker took over from another',
    count: 'takeovers',
  },
];

export function createApiMetrics(services: Pick<ApiServices, 'queue' | 'progressHub' | 'redis' | 'keys'>) {
  const registry = new Registry();
  registry.registerMetric(corruptJobRecords);
  const requests = new Counter({
    name: 'candela_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'candela_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'candela_analysis_cache_lookups',
    help: 'Shared analysis cache lookups over every worker: hit (completed from an identical analysis of the bar) or miss (computed)',
    labelNames: ['result'],
    registers: [registry],
    async collect() {
      const { hits, misses } = await readAnalysisCacheStats(services.redis, services.keys);
      this.set({ result: 'hit' }, hits);
      this.set({ result: 'miss' }, misses);
    },
  });
  new Gauge({
    name: 'candela_analysis_cache_hit_ratio',
    help: 'Share of shared analysis cache lookups that were hits (0 before any lookup)',
    registers: [registry],
    async collect() {
      const { hits, misses } = await readAnalysisCacheStats(services.redis, services.keys);
      this.set(hits + misses === 0 ? 0 : hits / (hits + misses));
    },
  });
  new Gauge({
    name: 'candela_queue_jobs',
    help: 'Entries in the job stream by state (total, pending = delivered and unacknowledged, waiting = not yet delivered), and jobs waiting for fair admission (waiting_for_admission)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const stats = await services.queue.stats();
      this.set({ state: 'total' }, stats.total_jobs_in_stream);
      this.set({ state: 'pending' }, stats.pending_jobs);
      this.set({ state: 'waiting' }, stats.waiting_jobs);
      this.set({ state: 'waiting_for_admission' }, stats.waiting_for_admission);
    },
  });
  // The workers' own counters, as they last published them: one series per live worker, each
  // monotonic for the life of that worker process (a restart is a counter reset).
  let workers: Promise<Awaited<ReturnType<typeof listWorkers>>> | undefined;
  const liveWorkers = () =>
    (workers ??= listWorkers(services.redis, services.keys).finally(() => (workers = undefined)));
  for (const counter of STALLED_JOB_COUNTERS)
    new Counter({
      name: counter.name,
      help: counter.help,
      labelNames: ['worker'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const worker of await liveWorkers())
          if (worker.totals) this.inc({ worker: worker.worker_id }, worker.totals[counter.count]);
      },
    });
  new Gauge({
    name: 'candela_progress_subscribers',
    help: 'Progress subscribers on this API node',
    registers: [registry],
    collect() {
      this.set(services.progressHub.listenerCount());
    },
  });
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loopDelay.enable();
  // The histogram records whole intervals between its timer's runs, resolution included (idle
  // p50 ≈ resolution, measured on Node 20), so the delay is what exceeds the resolution.
  const delaySeconds = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - LOOP_RESOLUTION_MS) / 1000;
  new Gauge({
    name: 'candela_event_loop_delay_seconds',
    help: 'Event-loop delay of this API node since the previous scrape',
    labelNames: ['quantile'],
    registers: [registry],
    collect() {
      this.set({ quantile: '0.5' }, delaySeconds(loopDelay.percentile(50)));
      this.set({ quantile: '0.99' }, delaySeconds(loopDelay.percentile(99)));
      this.set({ quantile: '1' }, delaySeconds(loopDelay.max));
      loopDelay.reset();
    },
  });

  return {
    /** Call when a request starts; the returned function records it when it ends. */
    startRequest(method: string, route: string): (status: number) => void {
      const stop = latency.startTimer({ method, route });
      return (status) => {
        stop();
        requests.inc({ method, route, status: String(status) });
      };
    },
    contentType: registry.contentType,
    render: () => registry.metrics(),
    close: () => loopDelay.disable(),
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;
