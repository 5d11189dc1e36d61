/**
 * Queue throughput: 20,000 no-op jobs through Candela's real enqueue and worker path (one
 * worker process) and through BullMQ (one Worker, concurrency 50), on the same private
 * redis-server in the same run. Prints one JSON line per system: enqueue, process and
 * end-to-end jobs/s, Redis commands per job (INFO commandstats, Lua-internal calls included) and
 * redis-server CPU per job (enqueue plus processing), since Redis's one thread is the shared limit,
 * and the worker process's own CPU per job (process.cpuUsage, reported by the worker on stop).
 * Both systems get one enqueue call per job, 1,000 in flight at a time.
 *   enqueue: 20k jobs queued with no worker running;
 *   process: a worker started on that backlog (process start-up not timed) until the queue is empty;
 *   end_to_end: 20k more jobs queued while the worker runs, from the first enqueue to the last completion.
 * Before each system's line, a `breakdown` line: its Redis time per job over the enqueue and the
 * backlog, command by command (bench/redisCpuBreakdown.ts).
 * BENCH_ROUNDS (2) rounds, the order of the two systems alternating; the last line has each
 * system's median per target figure, their ratio, and the ratio round by round.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startLocalRedis } from '../bin/localRedis.js';
import { createJobQueue, ensureConsumerGroup } from '../storage/jobQueue.js';
import { createKeys } from '../storage/keys.js';
import { type RedisCpuBreakdown, redisCpuBreakdown } from './redisCpuBreakdown.js';
import {
  rate,
  redisCpuSplit,
  resetCommandStats,
  startWorkerProcess,
  systemCommandCount,
  waitUntil,
} from './queueBenchSupport.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 20_000);
const CHUNK = 1000;
const TIMEOUT_MS = 300_000;

interface Figures {
  system: string;
  jobs: number;
  enqueue_jobs_per_s: number;
  process_jobs_per_s: number;
  end_to_end_jobs_per_s: number;
  redis_commands_per_job: number;
  redis_cpu_us_per_job: number;
  /** Of it, in the kernel (socket reads and writes, page faults). */
  redis_cpu_sys_us_per_job: number;
  /** The worker process's own CPU (process.cpuUsage) over both runs it worked: the backlog and end to end. */
  worker_cpu_us_per_job: number | null;
  [extra: string]: unknown;
}

interface SystemUnderTest {
  name: string;
  enqueue(count: number, offset: number): Promise<void>;
  completed(): Promise<number>;
  startWorker(): Promise<{ go(): void; stop(): Promise<number | undefined> }>;
  extra: Record<string, unknown>;
  /** The commands its clients send themselves, not from a script (for the breakdown). */
  direct: ReadonlySet<string>;
}

async function measure(
  redis: Redis,
  system: SystemUnderTest,
): Promise<{ figures: Figures; breakdown: RedisCpuBreakdown }> {
  await redis.flushall();
  await resetCommandStats(redis);
  const cpuBefore = await redisCpuSplit(redis);
  let started = performance.now();
  await system.enqueue(JOBS, 0);
  const enqueueMs = performance.now() - started;

  const worker = await system.startWorker();
  started = performance.now();
  worker.go();
  await waitUntil(async () => (await system.completed()) >= JOBS, TIMEOUT_MS, `${system.name} to process the backlog`);
  const processMs = performance.now() - started;
  const commands = await systemCommandCount(redis);
  if (process.env.BENCH_COMMANDSTATS)
    process.stderr.write(
      `${system.name}:\n${(await redis.info('commandstats')).replace(/,rejected_calls=0,failed_calls=0/g, '')}\n`,
    );
  const cpuAfter = await redisCpuSplit(redis);
  const redisSys = cpuAfter.sys - cpuBefore.sys;
  const redisCpu = cpuAfter.user - cpuBefore.user + redisSys;
  const breakdown = await redisCpuBreakdown(redis, JOBS, redisCpu, system.direct);

  started = performance.now();
  await system.enqueue(JOBS, JOBS);
  await waitUntil(
    async () => (await system.completed()) >= 2 * JOBS,
    TIMEOUT_MS,
    `${system.name} to finish end to end`,
  );
  const endToEndMs = performance.now() - started;
  const workerCpu = await worker.stop();

  const figures: Figures = {
    system: system.name,
    jobs: JOBS,
    enqueue_jobs_per_s: rate(JOBS, enqueueMs),
    process_jobs_per_s: rate(JOBS, processMs),
    end_to_end_jobs_per_s: rate(JOBS, endToEndMs),
    redis_commands_per_job: Math.round((commands / JOBS) * 10) / 10,
    redis_cpu_us_per_job: Math.round(redisCpu / JOBS),
    redis_cpu_sys_us_per_job: Math.round(redisSys / JOBS),
    worker_cpu_us_per_job: workerCpu === undefined ? null : Math.round(workerCpu / (2 * JOBS)),
    ...system.extra,
  };
  return { figures, breakdown };
}

function candela(redis: Redis, url: string): SystemUnderTest {
  const keys = createKeys();
  const queue = createJobQueue(redis, keys);
  const batchSize = Number(process.env.BENCH_CANDELA_BATCH ?? 50);
  const consumers = Number(process.env.BENCH_CANDELA_CONSUMERS ?? 2);
  return {
    name: 'candela',
    async enqueue(count, offset) {
      await ensureConsumerGroup(redis, keys);
      for (let start = 0; start < count; start += CHUNK) {
        const size = Math.min(CHUNK, count - start);
        await Promise.all(
          Array.from({ length: size }, (_, index) =>
            queue.enqueue({
              user_id: `user${(offset + start + index) % 100}`,
              symbol: 'BTCUSDT',
              interval: '1h',
              timeframe: '7d',
            }),
          ),
        );
      }
    },
    async completed() {
      const groups = (await redis.xinfo('GROUPS', keys.stream)) as unknown[][];
      const fields = Object.fromEntries(
        (groups[0] ?? []).reduce<[string, unknown][]>(
          (pairs, value, index, all) => (index % 2 === 0 ? [...pairs, [String(value), all[index + 1]]] : pairs),
          [],
        ),
      );
      const read = Number(fields['entries-read'] ?? 0);
      return Number(fields.pending ?? 1) === 0 && Number(fields.lag ?? 1) === 0 ? read : 0;
    },
    startWorker: () =>
      startWorkerProcess('dist/bench/noopWorker.js', {
        REDIS_URL: url,
        ANALYSIS_WORKER_CONCURRENCY: String(consumers),
        ANALYSIS_WORKER_BATCH_SIZE: String(batchSize),
        LOG_LEVEL: 'warn',
      }),
    extra: { consumers, batch_size: batchSize },
    // The worker's reads and its timers' polls; everything else runs in its scripts.
    direct: new Set([
      'xreadgroup',
      'xautoclaim',
      'hgetall',
      'get',
      'set',
      'zrange',
      'zrangebyscore',
      'subscribe',
      'xgroup|create',
    ]),
  };
}

function bullmq(redis: Redis, url: string): SystemUnderTest {
  const { hostname, port } = new URL(url);
  const queue = new Queue('bench', { connection: { host: hostname, port: Number(port) } });
  return {
    name: 'bullmq',
    async enqueue(count, offset) {
      for (let start = 0; start < count; start += CHUNK) {
        const size = Math.min(CHUNK, count - start);
        // One add per job, as an API node queues them (addBulk is a batch API no request maps to).
        await Promise.all(
          Array.from({ length: size }, (_, index) =>
            queue.add('noop', { user_id: `user${(offset + start + index) % 100}`, symbol: 'BTCUSDT' }),
          ),
        );
      }
    },
    completed: () => redis.zcard('bull:bench:completed'),
    startWorker: () => startWorkerProcess('dist/bench/bullmqWorker.js', { REDIS_URL: url }),
    extra: { concurrency: 50, close: () => queue.close() },
    direct: new Set(['bzpopmin', 'subscribe']),
  };
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const printLine = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const ratio = (ourValue: number | null, theirs: number | null) =>
  ourValue === null || theirs === null || theirs === 0 ? null : Math.round((ourValue / theirs) * 100) / 100;

/** One system's measurement, its breakdown line and its figures line; BullMQ's Queue is closed after. */
async function measured(redis: Redis, url: string, name: 'candela' | 'bullmq', round: number): Promise<Figures> {
  const system = name === 'candela' ? candela(redis, url) : bullmq(redis, url);
  const { figures, breakdown } = await measure(redis, system);
  printLine({ breakdown: name, round, ...breakdown });
  const close = figures.close as (() => Promise<void>) | undefined;
  delete figures.close;
  await close?.();
  printLine({ round, ...figures });
  return figures;
}

const server = await startLocalRedis();
const redis = new Redis(server.url);
try {
  if (process.env.BENCH_ONLY_CANDELA) {
    await measured(redis, server.url, 'candela', 1);
  } else {
    // The order alternates (Candela first, then BullMQ first, ...): a machine that slows or
    // warms up during a run must not favour whichever system runs second.
    const rounds: { candela: Figures; bullmq: Figures }[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const order = round % 2 === 1 ? (['candela', 'bullmq'] as const) : (['bullmq', 'candela'] as const);
      const figures: Partial<Record<'candela' | 'bullmq', Figures>> = {};
      for (const name of order) figures[name] = await measured(redis, server.url, name, round);
      rounds.push({ candela: figures.candela!, bullmq: figures.bullmq! });
    }
    // The targets: end to end >= 1.5x BullMQ, Redis CPU per job <= 0.7x, worker CPU per job <= 1x.
    const metrics = ['end_to_end_jobs_per_s', 'redis_cpu_us_per_job', 'worker_cpu_us_per_job'] as const;
    const summary: Record<string, unknown> = { rounds: ROUNDS };
    for (const metric of metrics) {
      const values = (system: 'candela' | 'bullmq') => rounds.map((round) => Number(round[system][metric]));
      const ours = median(values('candela'));
      const theirs = median(values('bullmq'));
      const name = metric.replace(/_(jobs_per_s|us_per_job)$/, '');
      summary[`${metric}_median`] = { candela: ours, bullmq: theirs };
      summary[`${name}_vs_bullmq`] = ratio(ours, theirs);
      summary[`${name}_vs_bullmq_by_round`] = rounds.map((round) =>
        ratio(Number(round.candela[metric]), Number(round.bullmq[metric])),
      );
    }
    printLine(summary);
  }
} finally {
  redis.disconnect();
  await server.stop();
}
