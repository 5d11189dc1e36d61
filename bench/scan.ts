/**
 * bench:scan: a watchlist scan through two real worker processes on synthetic candles (the
 * whole analysis pipeline runs). Prints one JSON line per phase:
 *   - one scan of BENCH_SYMBOLS (default 200) symbols x 2 intervals: wall time, scans/s and
 *     per-child latency (queued to finished) p50/p99;
 *   - BENCH_USERS (default 10) users running the same scan at once, with ANALYSIS_SHARED_CACHE
 *     off and then on: wall time, pipeline runs (cache misses; every child without the cache)
 *     and cache hits.
 * Figures on a loaded machine are noisy: compare phases of one run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { loadConfig } from '../config/env.js';
import { createJobQueue, ensureConsumerGroup } from '../storage/jobQueue.js';
import { createKeys } from '../storage/keys.js';
import { createScanStore, scanStoreOptions } from '../storage/scans/scanStore.js';
import { startRedis } from '../test/support/redisServer.js';

const SYMBOLS = Number(process.env.BENCH_SYMBOLS ?? 200);
const USERS = Number(process.env.BENCH_USERS ?? 10);
const INTERVALS = ['1h', '4h'];
const TIMEFRAME = '7d';
const keys = createKeys();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

const redis = await startRedis();
await ensureConsumerGroup(redis.client, keys);
const config = loadConfig({ REDIS_URL: redis.url, ANALYSIS_MAX_ACTIVE_JOBS_PER_USER: '1000' });
const scans = createScanStore(redis.client, keys, createJobQueue(redis.client, keys), scanStoreOptions(config));
const symbols = Array.from({ length: SYMBOLS }, (_, index) => `BENCH${index}USDT`);

async function startWorkers(sharedCache: 'on' | 'off'): Promise<ChildProcess[]> {
  const workers = Array.from({ length: 2 }, () =>
    spawn(process.execPath, ['--import', 'tsx', 'bin/candela.ts', 'worker'], {
      env: {
        ...process.env,
        REDIS_URL: redis.url,
        MARKET_DATA_PROVIDER: 'synthetic',
        DATA_DIR: `/tmp/candela-bench-scan-${process.pid}`,
        ANALYSIS_SHARED_CACHE: sharedCache,
        ANALYSIS_WORKER_CONCURRENCY: '4',
        ANALYSIS_WORKER_BATCH_SIZE: '5',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          worker.stderr?.on('data', (chunk: Buffer) => chunk.toString().includes('worker started') && resolve());
          worker.once('exit', (code) => reject(new Error(`worker exited with ${code} before it started`)));
        }),
    ),
  );
  return workers;
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve) => {
          worker.once('exit', () => resolve());
          worker.kill('SIGTERM');
        }),
    ),
  );
}

/** Creates the scans at once and waits for all to end: wall time and each child's queued-to-finished latency. */
async function runScans(users: string[]): Promise<{ wallMs: number; latencies: number[]; children: number }> {
  const started = Date.now();
  const created = await Promise.all(
    users.map((user) => scans.create(user, { symbols, intervals: INTERVALS, timeframe: TIMEFRAME })),
  );
  for (;;) {
    const read = await Promise.all(created.map((scan) => scans.read(scan.scanId)));
    if (read.every((scan) => scan && ['completed', 'failed', 'cancelled'].includes(scan.scan.status))) break;
    await sleep(100);
  }
  const wallMs = Date.now() - started;
  const ids = created.flatMap((scan) => scan.children.map((child) => child.analysisId));
  const pipeline = redis.client.pipeline();
  for (const id of ids) pipeline.hmget(keys.job(id), 'created_at', 'updated_at', 'status');
  const replies = (await pipeline.exec()) ?? [];
  const latencies = replies
    .map(([, values]) => values as (string | null)[])
    .filter((values) => values[2] === 'completed')
    .map((values) => Number(values[1]) - Number(values[0]))
    .sort((a, b) => a - b);
  return { wallMs, latencies, children: ids.length };
}

const cacheStats = async () => {
  const stats = await redis.client.hgetall(keys.analysisCacheStats());
  return { hits: Number(stats.hits ?? 0), misses: Number(stats.misses ?? 0) };
};

const print = (figures: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(figures)}\n`);
const users = Array.from({ length: USERS }, (_, index) => `bench-user${index}`);

try {
  let workers = await startWorkers('off');
  // Warm-up: scripts loaded, worker threads started, before anything is timed.
  await runScans(['bench-warmup']);
  const single = await runScans(['bench-single']);
  print({
    bench: 'scan',
    phase: 'one scan',
    symbols: SYMBOLS,
    intervals: INTERVALS.length,
    children: single.children,
    completed: single.latencies.length,
    wall_ms: single.wallMs,
    scans_per_s: Number((1000 / single.wallMs).toFixed(3)),
    children_per_s: Math.round((single.children * 1000) / single.wallMs),
    child_latency_p50_ms: percentile(single.latencies, 0.5),
    child_latency_p99_ms: percentile(single.latencies, 0.99),
  });

  const uncached = await runScans(users.map((user) => `${user}-off`));
  print({
    bench: 'scan',
    phase: `${USERS} users, same scan, ANALYSIS_SHARED_CACHE=off`,
    children: uncached.children,
    wall_ms: uncached.wallMs,
    pipeline_runs: uncached.latencies.length,
    child_latency_p99_ms: percentile(uncached.latencies, 0.99),
  });
  await stopWorkers(workers);

  workers = await startWorkers('on');
  const before = await cacheStats();
  const cached = await runScans(users.map((user) => `${user}-on`));
  const after = await cacheStats();
  print({
    bench: 'scan',
    phase: `${USERS} users, same scan, ANALYSIS_SHARED_CACHE=on`,
    children: cached.children,
    completed: cached.latencies.length,
    wall_ms: cached.wallMs,
    pipeline_runs: after.misses - before.misses,
    cache_hits: after.hits - before.hits,
    child_latency_p99_ms: percentile(cached.latencies, 0.99),
    speedup_vs_off: Number((uncached.wallMs / cached.wallMs).toFixed(2)),
  });
  await stopWorkers(workers);
} finally {
  await redis.stop();
}
