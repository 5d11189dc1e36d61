/**
 * Redis restarts: clients queue jobs through the API's REST route while Redis is stopped
 * with SIGTERM (AOF, appendfsync everysec: it writes the AOF out as it stops) and later
 * killed with SIGKILL after `CONFIG SET appendfsync always` (every acknowledged write is on
 * disk). API nodes and workers reconnect by themselves; a client whose request failed retries
 * it with the same idempotency key. Every job acknowledged to a client (a 202) must complete.
 */
import { validToken } from '../../support/tokenVariants.js';
import { CHAOS_INTERVAL, CHAOS_TIMEFRAME, chaosSymbol } from '../chaosMarketData.js';
import {
  CHAOS_SECRET,
  type ChaosContext,
  type ChaosFigures,
  runScenario,
  type ScenarioOptions,
} from '../chaosScenario.js';

export interface RedisRestartsSize {
  jobs: number;
  clients: number;
  apiNodes: number;
  workers: number;
  /** Pause of each client between two jobs, so that the restarts land while clients are queueing. */
  paceMs: number;
  deadlineMs: number;
}

export const redisRestartsFull: RedisRestartsSize = {
  jobs: 1500,
  clients: 20,
  apiNodes: 2,
  workers: 2,
  paceMs: 200,
  deadlineMs: 8 * 60_000,
};
export const redisRestartsShort: RedisRestartsSize = {
  jobs: 150,
  clients: 6,
  apiNodes: 1,
  workers: 2,
  paceMs: 150,
  deadlineMs: 240_000,
};

interface ClientFigures {
  retries: number;
  refused: number;
  slowestMs: number;
}

export function redisRestarts(
  size: RedisRestartsSize,
  options: Pick<ScenarioOptions, 'print'> = {},
): Promise<ChaosFigures> {
  return runScenario(
    { name: 'redis-restarts', deadlineMs: size.deadlineMs, redis: { appendOnly: true }, ...options },
    async (chaos) => {
      const apis = await Promise.all(Array.from({ length: size.apiNodes }, () => chaos.startApi()));
      const workers = Array.from({ length: size.workers }, () => chaos.startWorker());
      const figures: ClientFigures = { retries: 0, refused: 0, slowestMs: 0 };
      let next = 0;
      const acknowledged = new Set<string>();
      const clients = Array.from({ length: size.clients }, async (_, client) => {
        const token = await validToken(CHAOS_SECRET, `restart-client-${client}`);
        for (let index = next++; index < size.jobs && !chaos.signal.aborted; index = next++) {
          const id = await queueUntilAcknowledged(chaos, apis[index % apis.length]!.url, token, index, figures);
          if (id !== undefined && !acknowledged.has(id)) {
            acknowledged.add(id);
            chaos.track(id, chaosSymbol(index));
          }
          await chaos.pause(size.paceMs);
        }
      });
      const restarts = (async () => {
        await chaos.until(async () => (acknowledged.size >= size.jobs / 3 ? true : undefined), 'a third of the jobs');
        await chaos.redis.restart('SIGTERM');
        await chaos.redis.client.config('SET', 'appendfsync', 'always');
        await chaos.until(async () => (acknowledged.size >= (2 * size.jobs) / 3 ? true : undefined), 'two thirds');
        await chaos.redis.restart('SIGKILL');
      })();
      await Promise.all([...clients, restarts]);
      chaos.detail.redis_restarts = ['SIGTERM (appendfsync everysec)', 'SIGKILL (appendfsync always)'];
      chaos.detail.client_retries = figures.retries;
      chaos.detail.slowest_acknowledgement_ms = figures.slowestMs;
      if (figures.refused > 0) {
        chaos.detail.refused_requests = figures.refused;
        chaos.broke('requests_refused');
      }
      await chaos.allTerminal('every acknowledged job to end after the restarts');
      const exited = [...apis.map((api) => api.process), ...workers].filter(
        (process) => process.child.exitCode !== null,
      );
      if (exited.length > 0) chaos.broke('process_exited');
    },
  );
}

/** POSTs one job until the API answers 202 (the same idempotency key on every try); undefined on a 4xx. */
async function queueUntilAcknowledged(
  chaos: ChaosContext,
  url: string,
  token: string,
  index: number,
  figures: ClientFigures,
): Promise<string | undefined> {
  const started = Date.now();
  while (!chaos.signal.aborted) {
    try {
      const response = await fetch(`${url}/analyze/${chaosSymbol(index)}/${CHAOS_INTERVAL}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ timeframe: CHAOS_TIMEFRAME, idempotency_key: `restart-job-${index}` }),
        signal: AbortSignal.any([AbortSignal.timeout(20_000), chaos.signal]),
      });
      const body = (await response.json()) as { analysis_id?: string };
      if (response.status === 202 && body.analysis_id) {
        figures.slowestMs = Math.max(figures.slowestMs, Date.now() - started);
        return body.analysis_id;
      }
      if (response.status < 500) {
        figures.refused += 1;
        return undefined;
      }
    } catch {
      // A connection reset or a timeout while Redis is away: try again below.
    }
    figures.retries += 1;
    await chaos.pause(250);
  }
  return undefined;
}
