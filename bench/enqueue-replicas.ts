/**
 * What ANALYSIS_ENQUEUE_MIN_REPLICAS costs: enqueue latency (one request at a time, as an API
 * handler sees it) and throughput (64 in flight) against a master with one replica on loopback,
 * without waiting and with WAIT 1. Prints one JSON line per setting.
 */
import { createJobQueue, ensureConsumerGroup } from '../storage/jobQueue.js';
import { createKeys } from '../storage/keys.js';
import { startReplica } from '../test/support/redisReplica.js';
import { startRedis } from '../test/support/redisServer.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 2000);
const IN_FLIGHT = 64;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

const redis = await startRedis();
const replica = await startReplica(redis.port);
const keys = createKeys();
await ensureConsumerGroup(redis.client, keys);
try {
  for (const minReplicas of [0, 1]) {
    const queue = createJobQueue(redis.client, keys, { minReplicas, replicaTimeoutMs: 1000 });
    const request = (index: number) => ({
      user_id: `u${index % 50}`,
      symbol: 'BTCUSDT',
      interval: '1h',
      timeframe: '1d',
    });
    const latencies: number[] = [];
    for (let index = 0; index < JOBS; index += 1) {
      const started = process.hrtime.bigint();
      await queue.enqueue(request(index));
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    latencies.sort((a, b) => a - b);
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < JOBS) await queue.enqueue(request(next++));
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(
      JSON.stringify({
        bench: 'enqueue-replicas',
        min_replicas: minReplicas,
        jobs: JOBS,
        p50_ms: Number(percentile(latencies, 0.5).toFixed(3)),
        p99_ms: Number(percentile(latencies, 0.99).toFixed(3)),
        jobs_per_s_64_in_flight: Math.round(JOBS / seconds),
      }),
    );
    await redis.client.flushall();
    await ensureConsumerGroup(redis.client, keys);
  }
} finally {
  await replica.kill();
  await redis.stop();
}
