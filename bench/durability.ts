/**
 * What Redis durability costs the enqueue path: the enqueue script's latency (one client, one
 * job at a time) and throughput (50 in flight) with no AOF, AOF `appendfsync everysec` and
 * AOF `appendfsync always`, on a private redis-server whose data directory is under the OS
 * temp directory (its filesystem is printed: fsync cost is the disk's). Modes alternate, round
 * after round, so a busy machine weighs on all of them alike. One JSON line per mode and
 * round, then one per mode with the medians. DURABILITY_JOBS (default 3,000), DURABILITY_ROUNDS (3).
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { startLocalRedis } from '../bin/localRedis.js';
import { Redis } from 'ioredis';
import { createJobQueue, ensureConsumerGroup } from '../storage/jobQueue.js';
import { createKeys } from '../storage/keys.js';

const JOBS = Number(process.env.DURABILITY_JOBS ?? 3000);
const ROUNDS = Number(process.env.DURABILITY_ROUNDS ?? 3);
const IN_FLIGHT = 50;
const MODES = ['no-aof', 'everysec', 'always'] as const;
type Mode = (typeof MODES)[number];

interface Figures {
  mode: Mode;
  p50_us: number;
  p99_us: number;
  jobs_per_s: number;
}

const filesystem = (() => {
  try {
    return execFileSync('df', ['-T', os.tmpdir()], { encoding: 'utf8' }).trim().split('\n').pop()!.split(/\s+/)[1];
  } catch {
    return 'unknown';
  }
})();

const percentile = (sorted: number[], share: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function measure(mode: Mode): Promise<Figures> {
  const server = await startLocalRedis({ appendOnly: mode !== 'no-aof' });
  const redis = new Redis(server.url);
  try {
    if (mode === 'always') await redis.config('SET', 'appendfsync', 'always');
    const keys = createKeys();
    await ensureConsumerGroup(redis, keys);
    const queue = createJobQueue(redis, keys);
    const job = (index: number) => ({
      user_id: `durability${index % 10}`,
      symbol: 'BTCUSDT',
      interval: '1h',
      timeframe: '7d',
    });
    const latencies: number[] = [];
    for (let index = 0; index < Math.min(JOBS, 1000); index += 1) {
      const started = process.hrtime.bigint();
      await queue.enqueue(job(index));
      latencies.push(Number(process.hrtime.bigint() - started) / 1000);
    }
    latencies.sort((a, b) => a - b);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < JOBS) await queue.enqueue(job(next++));
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      mode,
      p50_us: Math.round(percentile(latencies, 0.5)),
      p99_us: Math.round(percentile(latencies, 0.99)),
      jobs_per_s: Math.round(JOBS / seconds),
    };
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

const byMode = new Map<Mode, Figures[]>(MODES.map((mode) => [mode, []]));
for (let round = 1; round <= ROUNDS; round += 1) {
  for (const mode of MODES) {
    const figures = await measure(mode);
    byMode.get(mode)!.push(figures);
    console.log(
      JSON.stringify({ bench: 'durability', round, filesystem, load1: os.loadavg()[0]!.toFixed(1), ...figures }),
    );
  }
}
for (const [mode, runs] of byMode)
  console.log(
    JSON.stringify({
      bench: 'durability',
      summary: mode,
      rounds: runs.length,
      filesystem,
      p50_us: median(runs.map((run) => run.p50_us)),
      p99_us: median(runs.map((run) => run.p99_us)),
      jobs_per_s: median(runs.map((run) => run.jobs_per_s)),
    }),
  );
