/**
 * Real work through the whole system: BENCH_ANALYSES (2,000) 168-candle analyses (synthetic
 * candles, no LLM: rule-based summaries), 100 in flight, run by 1, 2 and 4 real `candela
 * worker` processes (job actors, stage threads, owner-fenced finish), their results stored in
 * Redis. Everything runs compiled under plain node (`npm run build` first), as it ships.
 * At each process count, on the same redis-server, three rounds in turn:
 *   candela enqueue=api: queued through a real `candela api` process over HTTP (POST
 *     /analyze/{symbol}/{interval}): the whole system, with the API process on the same cores;
 *   candela enqueue=direct: queued with JobQueue.enqueue from this process (the script the API
 *     runs, without HTTP, validation or the API process), like with like against BullMQ;
 *   bullmq: the same analysis function as BullMQ's processor (bench/bullmqAnalysisWorker.ts),
 *     queued with Queue.add from this process (BullMQ has no API server).
 * Per round, one JSON line: analyses/s from the first enqueue to the last completion, p50/p99
 * milliseconds from queued to completed (the job's own timestamps), the worker processes' CPU
 * per analysis (every thread, from /proc), redis-server's (INFO cpu), the API process's (api
 * rounds) and this process's (it enqueues and polls). Then one line of ratios against BullMQ for
 * each Candela round; the target compares enqueue=direct (both sides queued from this process).
 * BENCH_REPEATS=3 runs the rounds three times in turn (BullMQ first in the even ones) and adds the median ratios;
 * BENCH_ENQUEUE=direct skips the api rounds; BENCH_REDIS_COMMANDS=1 adds a line per round of
 * redis-server's µs per analysis by command (INFO commandstats, bench/redisCpuBreakdown.ts).
 * BENCH_WORKERS=1,2 picks the counts; BENCH_ANALYSES=200 is a quick check; BENCH_ONLY_CANDELA=1
 * skips BullMQ (with BENCH_CPU_PROF=dir, to profile Candela's processes alone). BENCH_PERF=1 adds
 * a line per round of the worker processes' on-CPU time per analysis by category (JavaScript,
 * V8's compiler, GC, builtins, kernel: bench/onCpuSampling.ts), sampled with Linux perf.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { freePort, startLocalRedis } from '../bin/localRedis.js';
import { createJobQueue, ensureConsumerGroup } from '../storage/jobQueue.js';
import { createKeys } from '../storage/keys.js';
import {
  type BenchProcess,
  inFlight,
  percentile,
  processCpuMicros,
  startCandelaCommand,
  stopChild,
  waitUntil,
} from './pipelineProcesses.js';
import { redisCpuMicros, resetCommandStats, startWorkerProcess, type WorkerProcess } from './queueBenchSupport.js';
import { CPU_CATEGORIES, type OnCpuSampler, startOnCpuSampling } from './onCpuSampling.js';
import { redisCpuBreakdown } from './redisCpuBreakdown.js';

const ANALYSES = Number(process.env.BENCH_ANALYSES ?? 2000);
const WORKER_COUNTS = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number);
const IN_FLIGHT = 100;
/** One run's ratio moves by about 10% from run to run on these machines: repeats give a median. */
const REPEATS = Number(process.env.BENCH_REPEATS ?? 1);
const TIMEOUT_MS = 900_000;
/** Candela's defaults: 2 consumer actors, batches of 5, so up to 10 jobs in flight per process; BullMQ gets the same. */
const CONSUMERS = 2;
const BATCH = 5;
const BULLMQ_CONCURRENCY = CONSUMERS * BATCH;

type Enqueue = 'api' | 'direct';
const ENQUEUES = (process.env.BENCH_ENQUEUE ?? 'api,direct').split(',') as Enqueue[];
/** What the clients send themselves (reads, polls); every other command runs in a script. */
const DIRECT_COMMANDS: Record<Figures['system'], ReadonlySet<string>> = {
  candela: new Set(['xreadgroup', 'xautoclaim', 'hgetall', 'hget', 'hmget', 'get', 'set', 'zrange', 'zrangebyscore']),
  bullmq: new Set(['bzpopmin', 'hget', 'hmget']),
};

async function printRedisCommands(redis: Redis, system: Figures['system'], workers: number, redisCpu: number) {
  if (!process.env.BENCH_REDIS_COMMANDS) return;
  const breakdown = await redisCpuBreakdown(redis, ANALYSES, redisCpu, DIRECT_COMMANDS[system]);
  process.stdout.write(`${JSON.stringify({ bench: 'pipeline_redis_commands', system, workers, ...breakdown })}\n`);
}

/** BENCH_PERF=1: the worker processes' on-CPU milliseconds per analysis, by category (bench/onCpuSampling.ts). */
async function printOnCpu(
  sampler: OnCpuSampler | undefined,
  system: Figures['system'],
  workers: number,
  pids: readonly (number | undefined)[],
) {
  if (!sampler) return;
  const milliseconds = await sampler.stop(pids.filter((pid): pid is number => pid !== undefined));
  const perAnalysis = Object.fromEntries(
    CPU_CATEGORIES.map((category) => [category, Math.round((milliseconds[category] / ANALYSES) * 100) / 100]),
  );
  const total =
    Math.round((CPU_CATEGORIES.reduce((sum, category) => sum + milliseconds[category], 0) / ANALYSES) * 100) / 100;
  process.stdout.write(
    `${JSON.stringify({ bench: 'pipeline_on_cpu', system, workers, worker_ms_per_analysis: total, by_category: perAnalysis })}\n`,
  );
}

interface Figures {
  system: 'candela' | 'bullmq';
  workers: number;
  analyses: number;
  completed: number;
  analyses_per_s: number;
  queued_to_completed_p50_ms: number;
  queued_to_completed_p99_ms: number;
  worker_cpu_ms_per_analysis: number;
  redis_cpu_ms_per_analysis: number;
  [extra: string]: unknown;
}

const task = (index: number) => ({
  symbol: `BENCH${index % 20}USD`,
  interval: '1h' as const,
  timeframe: '7d',
  user_id: `user${index % 100}`,
});

const msPerAnalysis = (micros: number) => Math.round(micros / ANALYSES / 10) / 100;

/** This process's CPU so far (user + system), in microseconds. */
function ownCpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

function summarise(
  system: Figures['system'],
  workers: number,
  elapsedMs: number,
  latencies: number[],
  cpuMicros: number,
  benchCpuMicros: number,
  redisCpuMicros: number,
): Figures {
  const sorted = latencies.sort((a, b) => a - b);
  return {
    system,
    workers,
    analyses: ANALYSES,
    completed: sorted.length,
    analyses_per_s: Math.round((ANALYSES / elapsedMs) * 10_000) / 10,
    queued_to_completed_p50_ms: Math.round(percentile(sorted, 0.5)),
    queued_to_completed_p99_ms: Math.round(percentile(sorted, 0.99)),
    worker_cpu_ms_per_analysis: msPerAnalysis(cpuMicros),
    redis_cpu_ms_per_analysis: msPerAnalysis(redisCpuMicros),
    bench_process_cpu_ms_per_analysis: msPerAnalysis(benchCpuMicros),
  };
}

/**
 * A keep-alive socket the server closes as a request goes out fails that request; it is sent
 * again, and the idempotency key makes sure it is queued once.
 */
async function postWithRetry(url: string, body: Record<string, string>): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

async function candela(redis: Redis, redisUrl: string, workers: number, enqueue: Enqueue): Promise<Figures> {
  await redis.flushall();
  const keys = createKeys();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'candela-bench-pipeline-'));
  const port = await freePort();
  const env = {
    REDIS_URL: redisUrl,
    AUTH_MODE: 'none',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    MARKET_DATA_PROVIDER: 'synthetic',
    LOG_LEVEL: 'warn',
    ANALYSIS_WORKER_CONCURRENCY: String(CONSUMERS),
    ANALYSIS_WORKER_BATCH_SIZE: String(BATCH),
  };
  const base = `http://127.0.0.1:${port}`;
  const api = enqueue === 'api' ? startCandelaCommand('api', env) : undefined;
  const processes: BenchProcess[] = api ? [api] : [];
  const queue = createJobQueue(redis, keys);
  try {
    const workerProcesses = Array.from({ length: workers }, () => startCandelaCommand('worker', env));
    processes.push(...workerProcesses);
    if (api)
      await waitUntil(
        () =>
          fetch(`${base}/health`).then(
            (response) => response.ok,
            () => false,
          ),
        120_000,
        'the API to answer /health',
      );
    await waitUntil(async () => (await redis.zcard(keys.workerIndex())) >= workers, 120_000, 'the workers to register');
    if (!api) await ensureConsumerGroup(redis, keys);
    const sampler = await startOnCpuSampling();
    const cpuBefore = workerProcesses.map((worker) => processCpuMicros(worker.child.pid));
    const apiCpuBefore = processCpuMicros(api?.child.pid);
    const benchCpuBefore = ownCpuMicros();
    const redisCpuBefore = await redisCpuMicros(redis);
    await resetCommandStats(redis);
    const ids: string[] = [];
    const started = performance.now();
    await inFlight(ANALYSES, IN_FLIGHT, async (index) => {
      if (!api) {
        const queued = await queue.enqueue(task(index), { idempotencyKey: `bench-pipeline-${index}` });
        ids[index] = queued.analysisId;
        return;
      }
      const { symbol, interval, ...body } = task(index);
      const response = await postWithRetry(`${base}/analyze/${symbol}/${interval}`, {
        ...body,
        idempotency_key: `bench-pipeline-${index}`,
      });
      if (response.status !== 202)
        throw new Error(`POST /analyze answered ${response.status}: ${await response.text()}`);
      ids[index] = ((await response.json()) as { analysis_id: string }).analysis_id;
    });
    const terminal = async () => {
      const statuses = await Promise.all(ids.map((id) => redis.hget(keys.job(id), 'status')));
      return statuses.filter((status) => status === 'completed' || status === 'failed').length;
    };
    // Counting terminal records is itself a read per job: poll the group's lag first, which costs one command.
    await waitUntil(
      async () => {
        const groups = (await redis.xinfo('GROUPS', keys.stream)) as unknown[][];
        const fields = groups[0] ?? [];
        const field = (name: string) => Number(fields[fields.indexOf(name) + 1] ?? 1);
        return field('pending') === 0 && field('lag') === 0 && (await terminal()) >= ANALYSES;
      },
      TIMEOUT_MS,
      'Candela to finish every analysis',
    );
    const elapsedMs = performance.now() - started;
    const cpu = workerProcesses.reduce(
      (sum, worker, index) => sum + processCpuMicros(worker.child.pid) - cpuBefore[index]!,
      0,
    );
    const apiCpu = processCpuMicros(api?.child.pid) - apiCpuBefore;
    const benchCpu = ownCpuMicros() - benchCpuBefore;
    const redisCpu = (await redisCpuMicros(redis)) - redisCpuBefore;
    await printOnCpu(
      sampler,
      'candela',
      workers,
      workerProcesses.map((worker) => worker.child.pid),
    );
    await printRedisCommands(redis, 'candela', workers, redisCpu);
    const records = await Promise.all(ids.map((id) => redis.hmget(keys.job(id), 'status', 'created_at', 'updated_at')));
    const latencies = records
      .filter(([status]) => status === 'completed')
      .map(([, created, updated]) => Number(updated) - Number(created));
    return {
      ...summarise('candela', workers, elapsedMs, latencies, cpu, benchCpu, redisCpu),
      enqueue,
      ...(api ? { api_cpu_ms_per_analysis: msPerAnalysis(apiCpu) } : {}),
      consumers: CONSUMERS,
      batch_size: BATCH,
    };
  } catch (error) {
    // What the API and the workers said is what explains a failed round.
    for (const child of processes) process.stderr.write(child.output().slice(-3000));
    throw error;
  } finally {
    await Promise.all(processes.map((child) => child.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function bullmq(redis: Redis, redisUrl: string, workers: number): Promise<Figures> {
  await redis.flushall();
  const { hostname, port } = new URL(redisUrl);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'candela-bench-pipeline-bullmq-'));
  const queue = new Queue('pipeline', { connection: { host: hostname, port: Number(port) } });
  const processes: WorkerProcess[] = [];
  try {
    const env = {
      REDIS_URL: redisUrl,
      DATA_DIR: dataDir,
      MARKET_DATA_PROVIDER: 'synthetic',
      LOG_LEVEL: 'warn',
      BENCH_BULLMQ_CONCURRENCY: String(BULLMQ_CONCURRENCY),
    };
    for (let k = 0; k < workers; k += 1)
      processes.push(await startWorkerProcess('dist/bench/bullmqAnalysisWorker.js', env));
    const sampler = await startOnCpuSampling();
    for (const worker of processes) worker.go();
    const cpuBefore = processes.map((worker) => processCpuMicros(worker.child.pid));
    const benchCpuBefore = ownCpuMicros();
    const redisCpuBefore = await redisCpuMicros(redis);
    await resetCommandStats(redis);
    const ids: string[] = [];
    const started = performance.now();
    await inFlight(ANALYSES, IN_FLIGHT, async (index) => {
      const { user_id: _user, ...analysis } = task(index);
      const job = await queue.add('analysis', { analysisId: `analysis_bench_${index}`, ...analysis });
      ids[index] = job.id!;
    });
    const finished = async () =>
      (await redis.zcard('bull:pipeline:completed')) + (await redis.zcard('bull:pipeline:failed'));
    await waitUntil(async () => (await finished()) >= ANALYSES, TIMEOUT_MS, 'BullMQ to finish every analysis');
    const elapsedMs = performance.now() - started;
    const cpu = processes.reduce(
      (sum, worker, index) => sum + processCpuMicros(worker.child.pid) - cpuBefore[index]!,
      0,
    );
    const benchCpu = ownCpuMicros() - benchCpuBefore;
    const redisCpu = (await redisCpuMicros(redis)) - redisCpuBefore;
    await printOnCpu(
      sampler,
      'bullmq',
      workers,
      processes.map((worker) => worker.child.pid),
    );
    await printRedisCommands(redis, 'bullmq', workers, redisCpu);
    const records = await Promise.all(
      ids.map((id) => redis.hmget(`bull:pipeline:${id}`, 'timestamp', 'finishedOn', 'returnvalue')),
    );
    const latencies = records
      .filter(([, finishedOn, result]) => finishedOn !== null && result !== null)
      .map(([timestamp, finishedOn]) => Number(finishedOn) - Number(timestamp));
    return {
      ...summarise('bullmq', workers, elapsedMs, latencies, cpu, benchCpu, redisCpu),
      concurrency: BULLMQ_CONCURRENCY,
    };
  } finally {
    await Promise.all(processes.map((worker) => stopChild(worker.child)));
    await queue.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const ratio = (ours: number, theirs: number) => Math.round((ours / theirs) * 100) / 100;

const server = await startLocalRedis();
const redis = new Redis(server.url);
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]!
    : Math.round(((sorted[middle - 1]! + sorted[middle]!) / 2) * 100) / 100;
}
try {
  for (const workers of WORKER_COUNTS) {
    const ratios: Record<Enqueue, { throughput: number[]; cpu: number[] }> = {
      api: { throughput: [], cpu: [] },
      direct: { throughput: [], cpu: [] },
    };
    for (let repeat = 1; repeat <= REPEATS; repeat += 1) {
      const rounds: Figures[] = [];
      const runCandela = async () => {
        for (const enqueue of ENQUEUES) {
          rounds.push(await candela(redis, server.url, workers, enqueue));
          process.stdout.write(`${JSON.stringify(rounds.at(-1))}\n`);
        }
      };
      const runBullmq = async () => {
        const figures = await bullmq(redis, server.url, workers);
        process.stdout.write(`${JSON.stringify(figures)}\n`);
        return figures;
      };
      if (process.env.BENCH_ONLY_CANDELA) {
        await runCandela();
        continue;
      }
      // The order alternates by repeat (Candela first in odd ones): a machine that slows or
      // warms up during a run must not favour whichever system runs second.
      let theirs: Figures;
      if (repeat % 2 === 1) {
        await runCandela();
        theirs = await runBullmq();
      } else {
        theirs = await runBullmq();
        await runCandela();
      }
      // The target: Candela within 5% of BullMQ's analyses/s at equal processes (a ratio of at least 0.95).
      for (const ours of rounds) {
        const enqueue = ours.enqueue as Enqueue;
        const figures = {
          analyses_per_s_vs_bullmq: ratio(ours.analyses_per_s, theirs.analyses_per_s),
          p50_vs_bullmq: ratio(ours.queued_to_completed_p50_ms, theirs.queued_to_completed_p50_ms),
          worker_cpu_vs_bullmq: ratio(ours.worker_cpu_ms_per_analysis, theirs.worker_cpu_ms_per_analysis),
          redis_cpu_vs_bullmq: ratio(ours.redis_cpu_ms_per_analysis, theirs.redis_cpu_ms_per_analysis),
        };
        ratios[enqueue].throughput.push(figures.analyses_per_s_vs_bullmq);
        ratios[enqueue].cpu.push(figures.worker_cpu_vs_bullmq);
        process.stdout.write(`${JSON.stringify({ bench: 'pipeline_ratio', workers, repeat, enqueue, ...figures })}\n`);
      }
    }
    if (REPEATS > 1 && !process.env.BENCH_ONLY_CANDELA)
      for (const enqueue of ENQUEUES)
        process.stdout.write(
          `${JSON.stringify({
            bench: 'pipeline_ratio_median',
            workers,
            enqueue,
            repeats: REPEATS,
            analyses_per_s_vs_bullmq: median(ratios[enqueue].throughput),
            worker_cpu_vs_bullmq: median(ratios[enqueue].cpu),
          })}\n`,
        );
  }
} finally {
  redis.disconnect();
  await server.stop();
}
