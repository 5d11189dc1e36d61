/**
 * Load: `clients` concurrent clients, each the typed tRPC client (batched HTTP for calls, its
 * own WebSocket for progress), queue a job and follow its progress to the end, again and
 * again, for `durationMs`. No call may fail; every followed job must reach its terminal
 * event. Reports p50/p99 of the queue call and of queue-to-end, the API's resident memory
 * before, at the peak and after the load, and its V8 heap in use after a forced GC before and
 * after the load, which must come back near its baseline: RSS alone cannot tell a leak from
 * memory the allocator keeps once the heap has shrunk.
 */
import { createClient } from '../../../router/client.js';
import { rssOf } from '../../support/apiUnderTest.js';
import { INSPECTABLE_ENV, inspectHeap } from '../../support/inspectHeap.js';
import { validToken } from '../../support/tokenVariants.js';
import { CHAOS_INTERVAL, CHAOS_TIMEFRAME, CHAOS_SYMBOLS } from '../chaosMarketData.js';
import {
  CHAOS_SECRET,
  type ChaosContext,
  type ChaosFigures,
  runScenario,
  type ScenarioOptions,
} from '../chaosScenario.js';

export interface LoadClientsSize {
  clients: number;
  durationMs: number;
  workers: number;
  deadlineMs: number;
}

export const loadClientsFull: LoadClientsSize = {
  clients: 200,
  durationMs: 60_000,
  workers: 2,
  deadlineMs: 5 * 60_000,
};
export const loadClientsShort: LoadClientsSize = { clients: 30, durationMs: 5_000, workers: 1, deadlineMs: 240_000 };

const WARM_UP_CLIENTS = 20;
const WARM_UP_MS = 3_000;
/** Heap in use after a full GC, once the clients are gone, may exceed its baseline by this share. */
const HEAP_SLACK_SHARE = 0.15;
/** How long the heap has, after the load, to come back (sockets close, timers run out). */
const HEAP_SETTLE_MS = 30_000;

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!);
}

const megabytes = (bytes: number) => Math.round(bytes / 1024 / 1024);

export function loadClients(
  size: LoadClientsSize,
  options: Pick<ScenarioOptions, 'print'> = {},
): Promise<ChaosFigures> {
  return runScenario({ name: 'load', deadlineMs: size.deadlineMs, ...options }, async (chaos) => {
    const api = await chaos.startApi({ API_MAX_SUBSCRIPTIONS_PER_USER: '100', ...INSPECTABLE_ENV });
    const heap = await inspectHeap(api.process);
    for (let index = 0; index < size.workers; index += 1) chaos.startWorker();
    const pid = api.process.child.pid!;
    // Some load first, so the baseline is a warmed-up node rather than a fresh process: the
    // first load grows the heap once (compiled code, pools) by a few MB, a second one no more.
    await runClients(chaos, api.url, Math.min(size.clients, WARM_UP_CLIENTS), WARM_UP_MS);
    const baselineHeap = await heap.usedAfterGc();
    const baseline = rssOf(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 250);
    const load = await runClients(chaos, api.url, size.clients, size.durationMs).finally(() => clearInterval(sampler));
    const rssAtEnd = rssOf(pid);

    // Live objects go once the clients are gone (their sockets close, their subscriptions end):
    // what a forced GC cannot free then is a leak.
    const heapLimit = baselineHeap * (1 + HEAP_SLACK_SHARE);
    let heapAfter = await heap.usedAfterGc();
    const settleBy = Date.now() + HEAP_SETTLE_MS;
    while (heapAfter > heapLimit && Date.now() < settleBy && !chaos.signal.aborted) {
      await chaos.pause(1000);
      heapAfter = await heap.usedAfterGc();
    }
    heap.close();
    const after = rssOf(pid);
    const queueLatency = [...load.queueMs].sort((a, b) => a - b);
    const endToEnd = [...load.endToEndMs].sort((a, b) => a - b);
    Object.assign(chaos.detail, {
      clients: size.clients,
      load_seconds: size.durationMs / 1000,
      jobs_followed: load.followed,
      client_errors: load.errors.length,
      queue_p50_ms: percentile(queueLatency, 0.5),
      queue_p99_ms: percentile(queueLatency, 0.99),
      end_to_end_p50_ms: percentile(endToEnd, 0.5),
      end_to_end_p99_ms: percentile(endToEnd, 0.99),
      api_rss_baseline_mb: megabytes(baseline),
      api_rss_peak_mb: megabytes(peak),
      api_rss_end_of_load_mb: megabytes(rssAtEnd),
      api_rss_after_mb: megabytes(after),
      api_heap_baseline_mb: Math.round((baselineHeap / 1024 / 1024) * 10) / 10,
      api_heap_after_mb: Math.round((heapAfter / 1024 / 1024) * 10) / 10,
      api_heap_growth_pct: Math.round((heapAfter / baselineHeap - 1) * 1000) / 10,
    });
    if (load.errors.length > 0) {
      chaos.detail.first_client_errors = [...new Set(load.errors)].slice(0, 3);
      chaos.broke('client_errors');
    }
    if (heapAfter > heapLimit) chaos.broke('api_heap_not_back_to_baseline');
    await chaos.allTerminal('every queued job to end');
  });
}

interface LoadFigures {
  queueMs: number[];
  endToEndMs: number[];
  followed: number;
  errors: string[];
}

async function runClients(chaos: ChaosContext, url: string, clients: number, durationMs: number): Promise<LoadFigures> {
  const figures: LoadFigures = { queueMs: [], endToEndMs: [], followed: 0, errors: [] };
  const endAt = Date.now() + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, index) => {
      const client = createClient({ url, token: await validToken(CHAOS_SECRET, `load-client-${index}`) });
      try {
        for (let round = 0; Date.now() < endAt && !chaos.signal.aborted; round += 1) {
          const symbol = CHAOS_SYMBOLS[(index + round) % CHAOS_SYMBOLS.length]!;
          const started = performance.now();
          const { analysis_id } = await client.api.analysis.queue.mutate({
            symbol,
            interval: CHAOS_INTERVAL,
            timeframe: CHAOS_TIMEFRAME,
          });
          figures.queueMs.push(performance.now() - started);
          chaos.track(analysis_id, symbol);
          const ended = await followToEnd(client, analysis_id, chaos.signal);
          if (ended) {
            figures.endToEndMs.push(performance.now() - started);
            figures.followed += 1;
          }
        }
      } catch (error) {
        figures.errors.push(error instanceof Error ? error.message : String(error));
      } finally {
        client.close();
      }
    }),
  );
  return figures;
}

/** Resolves true at the job's terminal event, false if the scenario is abandoned first; rejects on a subscription error. */
function followToEnd(
  client: ReturnType<typeof createClient>,
  analysisId: string,
  signal: AbortSignal,
): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      resolve(false);
      subscription.unsubscribe();
    };
    const subscription = client.api.analysis.progress.subscribe(
      { analysis_id: analysisId },
      {
        onData: ({ data }) => {
          if (!TERMINAL.has(data.status)) return;
          signal.removeEventListener('abort', onAbort);
          // Settled before unsubscribing: unsubscribe() calls onComplete at once.
          resolve(true);
          subscription.unsubscribe();
        },
        onError: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
        // After our own unsubscribe this is a no-op: the promise has settled.
        onComplete: () => {
          signal.removeEventListener('abort', onAbort);
          reject(new Error(`progress of ${analysisId} ended before its terminal event`));
        },
      },
    );
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
