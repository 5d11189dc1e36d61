/** One frame of `candela watch`, as text: pure, so its shape is tested without a terminal. */
import { textTable } from './textTable.js';

export interface WatchStats {
  stream_name: string;
  total_jobs_in_stream: number;
  pending_jobs: number;
  waiting_jobs?: number;
  active_consumers: number;
}

export interface WatchWorker {
  worker_id: string;
  last_seen: string;
  consumers: string[];
  circuit_breaker_state: string;
  circuits?: Record<string, string>;
  metrics: { analyses_processed: number; errors_total: number; avg_processing_time: number; uptime: number } | null;
  reclaims?: number;
  poison_messages?: number;
  takeovers?: number;
}

export interface WatchFrame {
  stats: WatchStats;
  /** The live workers, or why they could not be listed (a token without admin). */
  workers: readonly WatchWorker[] | string;
  now: number;
}

const orDash = (value: number | undefined) => (value === undefined ? '-' : String(value));

export function renderWatchFrame(frame: WatchFrame): string {
  const { stats } = frame;
  const queue = textTable(
    ['STREAM', 'IN STREAM', 'PENDING', 'WAITING', 'CONSUMERS'],
    [
      [
        stats.stream_name,
        String(stats.total_jobs_in_stream),
        String(stats.pending_jobs),
        orDash(stats.waiting_jobs),
        String(stats.active_consumers),
      ],
    ],
  );
  const workers =
    typeof frame.workers === 'string'
      ? `workers: ${frame.workers}`
      : textTable(
          [
            'WORKER',
            'HEARTBEAT',
            'CONSUMERS',
            'DONE',
            'ERRORS',
            'AVG MS',
            'CIRCUITS',
            'RECLAIMS/1H',
            'POISON/1H',
            'TAKEOVERS/1H',
          ],
          frame.workers.map((worker) => [
            worker.worker_id,
            `${Math.max(0, Math.round((frame.now - Date.parse(worker.last_seen)) / 1000))} s ago`,
            String(worker.consumers.length),
            orDash(worker.metrics?.analyses_processed),
            orDash(worker.metrics?.errors_total),
            orDash(worker.metrics?.avg_processing_time),
            worker.circuits
              ? Object.entries(worker.circuits)
                  .map(([dependency, state]) => `${dependency}:${state}`)
                  .join(' ')
              : worker.circuit_breaker_state,
            orDash(worker.reclaims),
            orDash(worker.poison_messages),
            orDash(worker.takeovers),
          ]),
        );
  return `candela watch — ${new Date(frame.now).toISOString()}\n\n${queue}\n\n${workers}`;
}
