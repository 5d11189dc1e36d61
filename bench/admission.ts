/**
 * What fair admission costs at enqueue: redis-server CPU and throughput per job (64 in flight)
 * with admission off, on the fast path (nobody waits, backlog under the limit) and on the
 * waiting path (every job waits), and the CPU per job of admitting waiting jobs afterwards.
 * Modes alternate over rounds, each on a fresh stream, so a loaded machine skews them alike.
 * Prints one JSON line per mode (median over rounds).
 */
import { createAdmission } from '../storage/admission/admission.js';
import { createJobQueue, ensureConsumerGroup } from '../storage/jobQueue.js';
import { createKeys } from '../storage/keys.js';
import { startRedis } from '../test/support/redisServer.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IN_FLIGHT = 64;
/** Entries already delivered before a round: a stream longer than the limit, with little lag (as in production). */
const DELIVERED = 20_000;
const MODES = [
  { mode: 'off', limit: 0, delivered: 0 },
  // The stream is shorter than the limit: XLEN alone decides.
  { mode: 'fast-path-short-stream', limit: 1_000_000_000, delivered: 0 },
  // The stream is longer than the limit but its lag is not: XINFO GROUPS decides.
  { mode: 'fast-path', limit: 10_000, delivered: DELIVERED },
  { mode: 'waiting', limit: 1, delivered: 0 },
] as const;

const redis = await startRedis();
const serverCpuMs = async () => {
  const info = await redis.client.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (field('used_cpu_sys') + field('used_cpu_user')) * 1000;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const results = new Map<string, { cpuUs: number[]; jobsPerSecond: number[]; admitCpuUs: number[] }>();
let streams = 0;
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const { mode, limit, delivered } of MODES) {
      streams += 1;
      const keys = createKeys(`bench-admission-${streams}`);
      await ensureConsumerGroup(redis.client, keys);
      if (delivered > 0) {
        const fill = redis.client.pipeline();
        for (let index = 0; index < delivered; index += 1) fill.xadd(keys.stream, '*', 'analysis_id', 'filler');
        await fill.exec();
        await redis.client.xreadgroup('GROUP', keys.group, 'filler', 'COUNT', delivered, 'STREAMS', keys.stream, '>');
      }
      const queue = createJobQueue(redis.client, keys, { admissionBacklog: limit });
      const cpuBefore = await serverCpuMs();
      const started = Date.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < JOBS) {
            const index = next++;
            await queue.enqueue({ user_id: `u${index % 50}`, symbol: 'BTCUSDT', interval: '1h', timeframe: '1d' });
          }
        }),
      );
      const elapsedMs = Date.now() - started;
      const cpuUs = ((await serverCpuMs()) - cpuBefore) * (1000 / JOBS);
      // Admitting what waits: all at once (limit 0 admits up to 1,000 a call), the admit script's own cost.
      const admitBefore = await serverCpuMs();
      const admission = createAdmission(redis.client, keys, { admissionBacklog: 0 });
      let admitted = 0;
      for (let batch = await admission.admit(); batch.length > 0; batch = await admission.admit())
        admitted += batch.length;
      const admitCpuUs = admitted > 0 ? ((await serverCpuMs()) - admitBefore) * (1000 / admitted) : 0;
      const entry = results.get(mode) ?? { cpuUs: [], jobsPerSecond: [], admitCpuUs: [] };
      entry.cpuUs.push(cpuUs);
      entry.jobsPerSecond.push((JOBS / elapsedMs) * 1000);
      entry.admitCpuUs.push(admitCpuUs);
      results.set(mode, entry);
      await redis.client.flushall();
    }
  }
  for (const [mode, entry] of results)
    process.stdout.write(
      `${JSON.stringify({
        bench: 'admission',
        mode,
        jobs: JOBS,
        rounds: ROUNDS,
        enqueue_redis_cpu_us_per_job: Math.round(median(entry.cpuUs) * 10) / 10,
        enqueue_jobs_per_second: Math.round(median(entry.jobsPerSecond)),
        admit_redis_cpu_us_per_job: Math.round(median(entry.admitCpuUs) * 10) / 10,
      })}\n`,
    );
} finally {
  await redis.stop();
}
