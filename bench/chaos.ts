/**
 * Chaos run (npm run chaos): jobs flow through three worker processes while workers are
 * killed with SIGKILL and replaced at random, and Redis (AOF on) is restarted once. At the
 * end every job must be completed with exactly one terminal event and nothing left pending.
 * Prints one JSON line; exits 1 when an invariant broke. Size with CHAOS_JOBS (default
 * 3,000) and CHAOS_KILLS (default 8). Starts and stops its own redis-server and processes
 * (compiled: `npm run build` first).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createJobQueue, ensureConsumerGroup } from '../storage/jobQueue.js';
import { createKeys } from '../storage/keys.js';
import { type CandelaProcess, startCandela, stopCandela } from '../test/support/candelaProcess.js';
import { startRedis } from '../test/support/redisServer.js';

const JOBS = Number(process.env.CHAOS_JOBS ?? 3000);
const KILLS = Number(process.env.CHAOS_KILLS ?? 8);
const TIMEOUT_MS = 15 * 60_000;
const keys = createKeys();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const redis = await startRedis({ appendOnly: true });
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'candela-chaos-'));
const env = {
  REDIS_URL: redis.url,
  MARKET_DATA_PROVIDER: 'synthetic',
  DATA_DIR: dataDir,
  ANALYSIS_CLAIM_TIMEOUT: '3',
  ANALYSIS_WORKER_CONCURRENCY: '2',
  ANALYSIS_WORKER_BATCH_SIZE: '10',
  LOG_LEVEL: 'warn',
};
let workers: CandelaProcess[] = [];
const started = Date.now();
try {
  await ensureConsumerGroup(redis.client, keys);
  const queue = createJobQueue(redis.client, keys);
  const ids: string[] = [];
  for (let start = 0; start < JOBS; start += 500) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(500, JOBS - start) }, (_, index) =>
        queue.enqueue({
          user_id: `chaos${(start + index) % 50}`,
          symbol: `SYM${(start + index) % 97}`,
          interval: '15m',
          timeframe: '3d',
        }),
      ),
    );
    ids.push(...batch.map((job) => job.analysisId));
  }
  workers = [0, 1, 2].map(() => startCandela(['worker'], env));

  const completedCount = async () => {
    const pipeline = redis.client.pipeline();
    for (const id of ids) pipeline.hget(keys.job(id), 'status');
    return ((await pipeline.exec()) ?? []).filter(([, status]) => status === 'completed').length;
  };

  let kills = 0;
  let redisRestarts = 0;
  while (kills < KILLS && (await completedCount()) < JOBS) {
    await pause(1000 + Math.random() * 1500);
    const victim = workers.splice(Math.floor(Math.random() * workers.length), 1)[0]!;
    victim.kill('SIGKILL');
    await victim.exited;
    kills += 1;
    if (kills === Math.ceil(KILLS / 2)) {
      await redis.restart('SIGTERM');
      redisRestarts += 1;
    }
    workers.push(startCandela(['worker'], env));
  }
  while ((await completedCount()) < JOBS) {
    if (Date.now() - started > TIMEOUT_MS)
      throw new Error(
        `chaos: only ${await completedCount()} of ${JOBS} jobs completed within ${TIMEOUT_MS / 60_000} min`,
      );
    await pause(500);
  }

  let duplicates = 0;
  let takeovers = 0;
  for (const id of ids) {
    const events = await redis.client.xrange(keys.progress(id), '-', '+');
    const terminal = events.filter(([, fields]) =>
      ['completed', 'failed', 'cancelled'].includes((JSON.parse(fields[1]!) as { status: string }).status),
    ).length;
    if (terminal !== 1) duplicates += 1;
    takeovers += Number((await redis.client.hget(keys.job(id), 'takeovers')) ?? 0);
  }
  const pending = ((await redis.client.xpending(keys.stream, keys.group)) as [number])[0];
  const ok = duplicates === 0 && pending === 0;
  console.log(
    JSON.stringify({
      bench: 'chaos',
      jobs: JOBS,
      completed: await completedCount(),
      jobs_without_exactly_one_terminal_event: duplicates,
      pending_at_end: pending,
      worker_kills: kills,
      redis_restarts: redisRestarts,
      takeovers,
      elapsed_s: Math.round((Date.now() - started) / 1000),
      ok,
    }),
  );
  if (!ok) process.exitCode = 1;
} finally {
  await stopCandela(workers, 'SIGKILL');
  await redis.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
