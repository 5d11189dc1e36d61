/**
 * Redis memory under retention: BENCH_JOBS (default 100,000) no-op jobs through one worker
 * process with ANALYSIS_RESULT_TTL=5 and the archiver on (the MongoDB wire-protocol stand-in,
 * or MONGODB_URL). Prints one JSON line: Redis used_memory before, at the peak and after
 * expiry (after must be within 10% of before), bytes per retained finished job (at the peak:
 * memory above the baseline over the finished jobs still in Redis), and the archiver's
 * throughput into MongoDB.
 *
 * Which used_memory: the figure after SLOWLOG RESET, taken the same way before and after.
 * Redis's slow log keeps copies of up to 128 slow commands' arguments (up to 32 of them, 128
 * bytes each); our batched scripts carry hundreds of arguments, so under load the log alone
 * holds up to a few hundred KB that are no data of ours and vary from run to run. The raw
 * figure (before the reset) and used_memory_dataset (used_memory less Redis's own overhead:
 * clients, script cache, key tables) are printed beside it. Keys left behind are listed.
 */
import { spawn } from 'node:child_process';
import type { Redis } from 'ioredis';
import { createJobQueue, ensureConsumerGroup } from '../storage/jobQueue.js';
import { createKeys } from '../storage/keys.js';
import { connectMongo } from '../storage/mongo/mongoConnection.js';
import { ANALYSES_COLLECTION } from '../storage/mongo/mongoHistoryStore.js';
import { startMongoStandIn } from '../test/support/mongoStandIn.js';
import { startRedis } from '../test/support/redisServer.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 100_000);
const TTL_SECONDS = 5;
const WARM_UP = 100;
const keys = createKeys();

const infoField = (info: string, field: string) => Number(new RegExp(`^${field}:(\\d+)`, 'm').exec(info)?.[1]);
const usedMemory = async (redis: Redis) => infoField(await redis.info('memory'), 'used_memory');

/** used_memory as it was (raw), then with the slow log emptied, and the dataset part of the latter. */
async function settledMemory(redis: Redis) {
  const raw = await usedMemory(redis);
  const slowlogEntries = Number(await redis.call('SLOWLOG', 'LEN'));
  await redis.call('SLOWLOG', 'RESET');
  const info = await redis.info('memory');
  return {
    raw,
    slowlogEntries,
    used: infoField(info, 'used_memory'),
    dataset: infoField(info, 'used_memory_dataset'),
  };
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const redis = await startRedis();
const standIn = process.env.MONGODB_URL ? undefined : await startMongoStandIn({ database: 'candela_bench' });
const mongoUrl = process.env.MONGODB_URL ?? standIn!.url;
const mongo = await connectMongo(mongoUrl);
await mongo.db.collection(ANALYSES_COLLECTION).deleteMany({});
await ensureConsumerGroup(redis.client, keys);

const worker = spawn(process.execPath, ['--import', 'tsx', 'test/support/noopArchivingWorker.ts'], {
  env: {
    ...process.env,
    REDIS_URL: redis.url,
    MONGODB_URL: mongoUrl,
    ANALYSIS_RESULT_TTL: String(TTL_SECONDS),
    ANALYSIS_WORKER_CONCURRENCY: '2',
    ANALYSIS_WORKER_BATCH_SIZE: '50',
    ANALYSIS_HEALTH_CHECK_INTERVAL: '1',
    // The reclaimer trims acknowledged entries from the job stream on each sweep (every half claim timeout).
    ANALYSIS_CLAIM_TIMEOUT: '10',
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((resolve, reject) => {
  worker.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
  worker.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
});
await until(async () => (await redis.client.keys('workers:*')).length === 1, 30_000, 'worker registration');
const queue = createJobQueue(redis.client, keys);
const analyses = mongo.db.collection(ANALYSES_COLLECTION);
const enqueue = (count: number, offset: number) =>
  Promise.all(
    Array.from({ length: count }, (_, index) =>
      queue.enqueue({
        user_id: `bench-user${(offset + index) % 50}`,
        symbol: 'BTCUSDT',
        interval: '1h',
        timeframe: '1d',
      }),
    ),
  );
// Warm-up, so `before` is a running system's steady state (scripts loaded, connections open), not an empty server's.
const baselineKeys = await redis.client.dbsize();
await enqueue(WARM_UP, 0);
await until(async () => (await analyses.estimatedDocumentCount()) >= WARM_UP, 5 * 60_000, 'warm-up archived');
await until(async () => (await redis.client.dbsize()) <= baselineKeys, 5 * 60_000, 'warm-up expired');
await until(async () => (await redis.client.xlen(keys.stream)) === 0, 5 * 60_000, 'warm-up trimmed');
await sleep(1000);
const baseline = await settledMemory(redis.client);
const before = baseline.used;

let peak = { memory: before, jobsRetained: 0 };
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    const [memory, size] = await Promise.all([usedMemory(redis.client), redis.client.dbsize()]);
    // Two keys per job in Redis (record + progress log).
    if (memory > peak.memory) peak = { memory, jobsRetained: Math.max(1, Math.round((size - baselineKeys) / 2)) };
    await sleep(100);
  }
})();

const started = Date.now();
for (let sent = 0; sent < JOBS; sent += 500) await enqueue(Math.min(500, JOBS - sent), sent);
let firstArchivedAt = 0;
await until(
  async () => {
    const count = await analyses.estimatedDocumentCount();
    if (count > 0 && firstArchivedAt === 0) firstArchivedAt = Date.now();
    return count >= WARM_UP + JOBS;
  },
  30 * 60_000,
  'every job archived',
);
const archivedAt = Date.now();
await until(async () => (await redis.client.dbsize()) <= baselineKeys, 10 * 60_000, 'every job expired from Redis');
// Acknowledged stream entries go at the reclaimer's next sweep (every half claim timeout).
await until(async () => (await redis.client.xlen(keys.stream)) === 0, 10 * 60_000, 'the job stream trimmed');
sampling = false;
await sampler;
// Redis shrinks its emptied hash tables in its cron, not at once.
await sleep(5000);
const settled = await settledMemory(redis.client);
const after = settled.used;
const keysLeft = await redis.client.keys('*');

worker.kill('SIGTERM');
await new Promise((resolve) => worker.once('exit', resolve));
await mongo.close();
await standIn?.stop();
await redis.stop();

const result = {
  bench: 'retention',
  jobs: JOBS,
  ttl_seconds: TTL_SECONDS,
  mongodb: process.env.MONGODB_URL ? 'MONGODB_URL' : 'stand-in',
  used_memory_before: before,
  used_memory_peak: peak.memory,
  used_memory_after: after,
  after_within_10_percent: Math.abs(after - before) <= before * 0.1,
  after_percent: Math.round(((after - before) / before) * 1000) / 10,
  used_memory_raw_before: baseline.raw,
  used_memory_raw_after: settled.raw,
  slowlog_entries_after: settled.slowlogEntries,
  used_memory_dataset_before: baseline.dataset,
  used_memory_dataset_after: settled.dataset,
  keys_left: keysLeft.sort(),
  jobs_retained_at_peak: peak.jobsRetained,
  bytes_per_retained_job: Math.round((peak.memory - before) / peak.jobsRetained),
  archiver_jobs_per_second: Math.round((JOBS / Math.max(1, archivedAt - (firstArchivedAt || started))) * 1000),
  total_seconds: Math.round((Date.now() - started) / 100) / 10,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(result.after_within_10_percent ? 0 : 1);
