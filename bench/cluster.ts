/**
 * The queue over a private three-master Redis Cluster (one redis-server process per master,
 * loopback, no replicas), with ANALYSIS_QUEUE_PARTITIONS 1 and then 3 (one partition per
 * master), in alternating rounds (BENCH_ROUNDS, default 1). Each round: one no-op worker process
 * starts, BENCH_JOBS (20,000) jobs of 100 users are queued through the real enqueue while it
 * runs, until the last one is acknowledged. Prints one JSON line per round: end-to-end jobs/s,
 * redis-server CPU per job of each master (INFO cpu deltas), the sum, and the busiest master's
 * CPU per second of load (ms/s): the figure that shows how the load spreads, since on a 2-core
 * machine the total rate cannot grow with the masters. Projection from the run:
 * jobs/s one master could carry = 1e6 / (the CPU per job summed over masters).
 */
import { Redis } from 'ioredis';
import { loadConfig } from '../config/env.js';
import { createJobQueue, ensureConsumerGroups } from '../storage/jobQueue.js';
import { createKeys } from '../storage/keys.js';
import { checkPartitionCount } from '../storage/partitionCount.js';
import type { QueueKeys } from '../storage/keys.js';
import { closeRedis, connectRedis, type RedisClient } from '../storage/redisConnection.js';
import { infoReply } from '../storage/streamReplies.js';
import { spreadPartitions } from '../test/support/clusterSlots.js';
import { startRedisCluster } from '../test/support/redisCluster.js';
import { rate, redisCpuMicros, startWorkerProcess, waitUntil } from './queueBenchSupport.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const CONSUMERS = Number(process.env.BENCH_CANDELA_CONSUMERS ?? 3);
const BATCH = Number(process.env.BENCH_CANDELA_BATCH ?? 50);
const CHUNK = 1000;
const TIMEOUT_MS = 300_000;

async function round(partitions: number): Promise<Record<string, unknown>> {
  const cluster = await startRedisCluster(3);
  const keys = createKeys(undefined, undefined, partitions);
  const placement = await spreadPartitions(cluster, keys);
  const masterPorts = cluster.nodes.split(',').map((address) => Number(address.split(':')[1]));
  const masters = masterPorts.map((port) => new Redis({ port, host: '127.0.0.1' }));
  // As an API node connects: auto-pipelined, one connection per master.
  const redis = connectRedis({ ...loadConfig({}), REDIS_CLUSTER_NODES: cluster.nodes }, 'bench-cluster');
  try {
    await checkPartitionCount(redis, keys);
    await ensureConsumerGroups(redis, keys);
    const queue = createJobQueue(redis, keys);
    const worker = await startWorkerProcess('dist/bench/noopWorker.js', {
      REDIS_CLUSTER_NODES: cluster.nodes,
      ANALYSIS_QUEUE_PARTITIONS: String(partitions),
      ANALYSIS_WORKER_CONCURRENCY: String(CONSUMERS),
      ANALYSIS_WORKER_BATCH_SIZE: String(BATCH),
      LOG_LEVEL: 'warn',
    });
    worker.go();
    // Workers register (a heartbeat) once started: wait for it, so its start-up is not timed.
    await waitUntil(async () => (await redis.zcard(keys.workerIndex())) > 0, 60_000, 'the worker to start');
    const cpuBefore = await Promise.all(masters.map(redisCpuMicros));
    const started = performance.now();
    for (let start = 0; start < JOBS; start += CHUNK) {
      const size = Math.min(CHUNK, JOBS - start);
      await Promise.all(
        Array.from({ length: size }, (_, index) =>
          queue.enqueue({
            user_id: `user${(start + index) % 100}`,
            symbol: 'BTCUSDT',
            interval: '1h',
            timeframe: '7d',
          }),
        ),
      );
    }
    await waitUntil(async () => (await acknowledged(redis, keys)) >= JOBS, TIMEOUT_MS, 'every job to finish');
    const elapsedMs = performance.now() - started;
    const cpu = (await Promise.all(masters.map(redisCpuMicros))).map((after, index) => after - cpuBefore[index]!);
    await worker.stop();
    const perJob = cpu.map((micros) => Math.round((micros / JOBS) * 10) / 10);
    const totalPerJob = Math.round((cpu.reduce((sum, micros) => sum + micros, 0) / JOBS) * 10) / 10;
    const busiest = Math.max(...cpu);
    return {
      bench: 'cluster',
      partitions,
      masters: masters.length,
      partition_masters: placement.map((port) => masterPorts.indexOf(port)),
      jobs: JOBS,
      consumers: CONSUMERS,
      batch_size: BATCH,
      end_to_end_jobs_per_s: rate(JOBS, elapsedMs),
      redis_cpu_us_per_job_per_master: perJob,
      redis_cpu_us_per_job_total: totalPerJob,
      busiest_master_cpu_us_per_job: Math.round((busiest / JOBS) * 10) / 10,
      busiest_master_cpu_ms_per_s: Math.round(busiest / elapsedMs),
      projected_jobs_per_s_per_master: Math.round(1e6 / totalPerJob),
    };
  } finally {
    await closeRedis(redis);
    for (const master of masters) master.disconnect();
    await cluster.stop();
  }
}

/** Entries read and acknowledged, summed over the partitions (0 for a partition still busy). */
async function acknowledged(redis: RedisClient, keys: QueueKeys): Promise<number> {
  let total = 0;
  for (const partition of keys.all()) {
    const [group] = infoReply(await redis.xinfo('GROUPS', partition.stream));
    if (!group || Number(group.pending ?? 1) !== 0 || Number(group.lag ?? 1) !== 0) return 0;
    total += Number(group['entries-read'] ?? 0);
  }
  return total;
}

for (let index = 0; index < ROUNDS; index += 1)
  for (const partitions of [1, 3]) process.stdout.write(`${JSON.stringify(await round(partitions))}\n`);
