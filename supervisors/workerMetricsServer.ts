/**
 * `/metrics` (Prometheus text) and `/health` for a worker process on METRICS_PORT: what its heartbeat
 * actor counts, read at scrape time, its job metrics (reclaims, poison messages, takeovers,
 * queue wait, job and stage durations), the errors its actors swallowed, and the process's
 * default metrics (prom-client).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { swallowedErrors } from '../actors/actorDiagnostics.js';
import { lateClaimRefreshes } from '../actors/claimRefreshLateness.js';
import { corruptJobRecords } from '../storage/corruptRecords.js';
import type { WorkerMetricsSnapshot } from '../actors/heartbeatActor.js';
import type { JobMetrics } from './jobMetrics.js';

export interface WorkerMetricsServer {
  port: number;
  close(): Promise<void>;
}

const CIRCUIT_LEVEL = { closed: 0, 'half-open': 1, open: 2 } as const;

export async function startWorkerMetricsServer(
  port: number,
  host: string,
  snapshot: () => Promise<WorkerMetricsSnapshot>,
  jobMetrics?: Pick<JobMetrics, 'registerInto'>,
): Promise<WorkerMetricsServer> {
  const registry = new Registry();
  jobMetrics?.registerInto(registry);
  collectDefaultMetrics({ register: registry });
  registry.registerMetric(swallowedErrors);
  registry.registerMetric(lateClaimRefreshes);
  registry.registerMetric(corruptJobRecords);
  const gauge = (name: string, help: string, read: (metrics: WorkerMetricsSnapshot) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(read(await snapshot()));
      },
    });
  gauge(
    'candela_worker_analyses_processed',
    'Analyses this process completed',
    (metrics) => metrics.analyses_processed,
  );
  gauge('candela_worker_errors', 'Attempts of this process that failed', (metrics) => metrics.errors_total);
  gauge(
    'candela_worker_avg_processing_ms',
    'Mean time of a completed analysis, in ms',
    (metrics) => metrics.avg_processing_time,
  );
  new Gauge({
    name: 'candela_worker_circuit_state',
    help: 'Circuit breaker per dependency: 0 closed, 1 half-open, 2 open',
    labelNames: ['dependency'],
    registers: [registry],
    async collect() {
      for (const [dependency, state] of Object.entries((await snapshot()).circuits))
        this.set({ dependency }, CIRCUIT_LEVEL[state]);
    },
  });

  const server = http.createServer((req, res) => {
    // The container's liveness probe: answering at all means the process and its loop are alive.
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: Error) => res.writeHead(500).end(error.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
