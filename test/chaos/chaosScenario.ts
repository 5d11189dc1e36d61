/**
 * The frame every chaos scenario runs in: a private redis-server, market-data files, real
 * `candela` processes it starts for the scenario (all killed at the end), an optional CPU
 * burn (CHAOS_BURN=1), and a hard deadline. When the deadline passes, the scenario is
 * abandoned and its figures are read as they are, with `deadline` among the broken
 * invariants: a run ends with numbers, never with an outer timeout. Prints one JSON line.
 */
import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createJobQueue, ensureConsumerGroup } from '../../storage/jobQueue.js';
import { createKeys, type QueueKeys } from '../../storage/keys.js';
import { type CandelaProcess, startCandela, stopCandela } from '../support/candelaProcess.js';
import { freePort, startRedis, type TestRedis } from '../support/redisServer.js';
import { burnRequested, startCpuBurn } from './cpuBurn.js';
import {
  CHAOS_INTERVAL,
  CHAOS_TIMEFRAME,
  chaosSymbol,
  MISSING_SYMBOL,
  writeChaosMarketData,
} from './chaosMarketData.js';
import { isTerminal, type JobTally, statusesOf, tallyJobs } from './jobTally.js';

export const CHAOS_SECRET = 'chaos-suite-secret-0123456789abcdef';

export type ChaosFigures = { scenario: string } & Omit<JobTally, 'examples' | 'unexpected_errors'> & {
    seconds: number;
    ok: boolean;
    /** Names of the invariants that did not hold (empty when ok). */
    broken: string[];
    cpu_burn: number;
    [detail: string]: unknown;
  };

export class DeadlinePassed extends Error {
  constructor(what: string) {
    super(`deadline passed while waiting for ${what}`);
    this.name = 'DeadlinePassed';
  }
}

export interface ChaosContext {
  keys: QueueKeys;
  redis: TestRedis;
  /** Aborted when the deadline passes. */
  signal: AbortSignal;
  /** Environment of a worker or API process; `extra` wins. */
  env(extra?: Record<string, string>): Record<string, string>;
  startWorker(extra?: Record<string, string>): CandelaProcess;
  startApi(extra?: Record<string, string>): Promise<{ url: string; process: CandelaProcess }>;
  /** Queues `count` jobs straight through the queue's enqueue script, as the API does; returns their ids. */
  enqueue(count: number, user?: string): Promise<string[]>;
  /** Counts a job the scenario got acknowledged some other way (through the API). */
  track(analysisId: string, symbol: string): void;
  ids(): readonly string[];
  /** Resolves once every tracked job is terminal; throws DeadlinePassed. */
  allTerminal(what?: string): Promise<void>;
  /** Polls `check` every `everyMs` until it returns something other than undefined; throws DeadlinePassed. */
  until<T>(check: () => Promise<T | undefined>, what: string, everyMs?: number): Promise<T>;
  pause(ms: number): Promise<void>;
  /** Poison dead letters of these jobs are expected (the scenario explains them); others break `failed_unexpected`. */
  expectPoison(ids: readonly string[]): void;
  /** Marks a scenario-specific invariant as broken. */
  broke(invariant: string): void;
  /** Scenario-specific figures for the JSON line. */
  detail: Record<string, unknown>;
}

export interface ScenarioOptions {
  name: string;
  deadlineMs: number;
  redis?: { appendOnly?: boolean };
  /** Printed JSON line goes here (default stdout); tests keep it too. */
  print?: (line: string) => void;
}

export async function runScenario(
  options: ScenarioOptions,
  body: (context: ChaosContext) => Promise<void>,
): Promise<ChaosFigures> {
  const started = Date.now();
  const burn = burnRequested() ? startCpuBurn() : undefined;
  const keys = createKeys();
  const redis = await startRedis({ appendOnly: options.redis?.appendOnly ?? false });
  const workDir = mkdtempSync(path.join(os.tmpdir(), `candela-chaos-${options.name}-`));
  const marketDataDir = path.join(workDir, 'market-data');
  writeChaosMarketData(marketDataDir);
  const controller = new AbortController();
  // Every client of a load scenario listens on it.
  setMaxListeners(0, controller.signal);
  const processes: CandelaProcess[] = [];
  const ids: string[] = [];
  const expectedToFail = new Set<string>();
  const expectedPoison = new Set<string>();
  const broken: string[] = [];
  const detail: Record<string, unknown> = {};
  const queue = createJobQueue(redis.client, keys);
  let enqueued = 0;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        controller.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      controller.signal.addEventListener('abort', done, { once: true });
    });
  const env = (extra: Record<string, string> = {}) => ({
    REDIS_URL: redis.url,
    AUTH_SECRET: CHAOS_SECRET,
    MARKET_DATA_PROVIDER: 'file',
    MARKET_DATA_DIR: marketDataDir,
    DATA_DIR: path.join(workDir, 'data'),
    ANALYSIS_CLAIM_TIMEOUT: '3',
    ANALYSIS_HEALTH_CHECK_INTERVAL: '1',
    ANALYSIS_METRICS_PUBLISH_INTERVAL: '5',
    ANALYSIS_WORKER_CONCURRENCY: '2',
    ANALYSIS_WORKER_BATCH_SIZE: '5',
    ANALYSIS_SHUTDOWN_GRACE: '10',
    ANALYSIS_RETRY_BASE_MS: '200',
    ANALYSIS_MAX_ACTIVE_JOBS_PER_USER: '1000000',
    IMMEDIATE_ANALYSIS_THREADS: '1',
    LOG_LEVEL: 'warn',
    ...extra,
  });
  const track = (analysisId: string, symbol: string) => {
    ids.push(analysisId);
    if (symbol === MISSING_SYMBOL) expectedToFail.add(analysisId);
  };
  const until = async <T>(check: () => Promise<T | undefined>, what: string, everyMs = 250): Promise<T> => {
    for (;;) {
      if (controller.signal.aborted) throw new DeadlinePassed(what);
      const value = await check();
      if (value !== undefined) return value;
      await pause(everyMs);
    }
  };

  const context: ChaosContext = {
    keys,
    redis,
    signal: controller.signal,
    env,
    startWorker(extra) {
      const worker = startCandela(['worker'], env(extra));
      processes.push(worker);
      return worker;
    },
    async startApi(extra) {
      const port = await freePort();
      const api = startCandela(['api'], env({ PORT: String(port), LOG_LEVEL: 'info', ...extra }));
      processes.push(api);
      await api.waitForOutput(/api listening/, 30_000);
      return { url: `http://127.0.0.1:${port}`, process: api };
    },
    async enqueue(count, user) {
      const batch: string[] = [];
      for (let start = 0; start < count; start += 250) {
        const made = await Promise.all(
          Array.from({ length: Math.min(250, count - start) }, async () => {
            const index = enqueued++;
            const symbol = chaosSymbol(index);
            const { analysisId } = await queue.enqueue({
              user_id: user ?? `chaos${index % 20}`,
              symbol,
              interval: CHAOS_INTERVAL,
              timeframe: CHAOS_TIMEFRAME,
            });
            track(analysisId, symbol);
            return analysisId;
          }),
        );
        batch.push(...made);
      }
      return batch;
    },
    track,
    ids: () => ids,
    allTerminal: (what = 'every job to end') =>
      until(
        async () => ((await statusesOf(redis.client, keys, ids)).every(isTerminal) ? true : undefined),
        what,
        500,
      ).then(() => undefined),
    until,
    pause,
    expectPoison: (poisoned) => poisoned.forEach((id) => expectedPoison.add(id)),
    broke: (invariant) => void broken.push(invariant),
    detail,
  };

  try {
    await ensureConsumerGroup(redis.client, keys);
    const run = body(context);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(() => resolve('deadline'), options.deadlineMs);
    });
    const outcome = await Promise.race([run.then(() => 'done' as const), deadline]).catch((error: unknown) => error);
    clearTimeout(timer);
    if (outcome === 'deadline') {
      broken.push('deadline');
      controller.abort();
      // Let the scenario's loops see the abort before its processes are killed.
      await Promise.race([run.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2000))]);
    } else if (outcome !== 'done') {
      controller.abort();
      broken.push(outcome instanceof DeadlinePassed ? 'deadline' : `error: ${(outcome as Error).message ?? outcome}`);
    }
    // The tally reads Redis as it is; the processes stop afterwards, so nothing moves while it reads.
    await stopCandela(processes, 'SIGKILL');
    const tally = await tallyJobs(redis.client, keys, ids, expectedToFail, expectedPoison);
    const pending = ((await redis.client.xpending(keys.stream, keys.group)) as [number])[0];
    if (tally.lost > 0) broken.push('lost');
    if (tally.completed_twice > 0) broken.push('completed_twice');
    if (tally.failed_unexpected > 0) broken.push('failed_unexpected');
    if (pending > 0 && tally.lost === 0) broken.push('pending_at_end');
    const { examples, unexpected_errors, ...counts } = tally;
    const figures: ChaosFigures = {
      scenario: options.name,
      ...counts,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      ok: broken.length === 0,
      broken,
      cpu_burn: burn?.processes ?? 0,
      pending_at_end: pending,
      ...detail,
      ...(broken.length > 0 ? { examples, unexpected_errors } : {}),
    };
    (options.print ?? ((line: string) => process.stdout.write(`${line}\n`)))(JSON.stringify(figures));
    return figures;
  } finally {
    controller.abort();
    await stopCandela(processes, 'SIGKILL');
    await redis.stop();
    await burn?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
