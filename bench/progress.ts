/**
 * Progress delivery at scale: 1,000 WebSocket subscribers spread over two API nodes while one
 * worker runs the jobs they follow. Latency is measured per live event, from the worker's
 * emit (ProgressEvent.at) to the subscriber's onData; the API nodes' RSS is read from /proc.
 * Starts its own redis-server and processes (compiled: `npm run build` first) and stops them.
 * `api_hop_ms` is the part spent after Redis published the event (API node + socket + this
 * client), measured against this process's own pub/sub tap; the rest is the worker's, from
 * stamping the event to running the Lua that publishes it. Target: p99 within 50 ms.
 * Prints one JSON line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signToken } from '../router/auth.js';
import { createKeys } from '../storage/keys.js';
import { type CandelaClient, createClient } from '../router/client.js';
import { type CandelaProcess, startCandela, stopCandela } from '../test/support/candelaProcess.js';
import { freePort, startRedis } from '../test/support/redisServer.js';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const JOBS = Number(process.env.BENCH_JOBS ?? 200);
const SECRET = 'bench-secret-0123456789abcdef';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const rssMb = (pid: number, field: 'VmRSS' | 'VmHWM') =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function main(): Promise<void> {
  const redis = await startRedis();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'candela-bench-progress-'));
  const env = {
    REDIS_URL: redis.url,
    AUTH_SECRET: SECRET,
    DATA_DIR: dataDir,
    MARKET_DATA_PROVIDER: 'synthetic',
    LOG_LEVEL: 'info',
    ANALYSIS_WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? '1',
    ANALYSIS_MAX_ACTIVE_JOBS_PER_USER: '100000',
    // Every subscriber is the one bench user: each API node must let it hold all of them.
    API_MAX_SUBSCRIPTIONS_PER_USER: String(SUBSCRIBERS),
  };
  const processes: CandelaProcess[] = [];
  const clients: CandelaClient[] = [];
  try {
    const apis: { url: string; pid: number }[] = [];
    for (let index = 0; index < 2; index += 1) {
      const port = await freePort();
      const api = startCandela(['api'], { ...env, PORT: String(port) });
      processes.push(api);
      await api.waitForOutput(/api listening/);
      apis.push({ url: `http://127.0.0.1:${port}`, pid: api.child.pid! });
    }
    const token = await signToken(SECRET, 'bench');
    const producer = createClient({ url: apis[0]!.url, token });
    const jobIds: string[] = [];
    for (let index = 0; index < JOBS; index += 1)
      jobIds.push(
        (
          await producer.api.analysis.queue.mutate({
            symbol: 'BTCUSDT',
            interval: '1h',
            timeframe: '7d',
            idempotency_key: `bench-${index}`,
          })
        ).analysis_id,
      );
    producer.close();

    // Subscribe everyone before any worker runs, so every event after `queued` is delivered live.
    const latencies: number[] = [];
    // When each event reached this process straight from Redis pub/sub: client time minus this is the API nodes' hop.
    const published = new Map<string, number>();
    const hops: number[] = [];
    const tap = redis.client.duplicate();
    tap.on('message', (_channel: string, message: string) => {
      const { analysis_id: analysisId, event_id: eventId } = JSON.parse(message) as {
        analysis_id: string;
        event_id: string;
      };
      published.set(`${analysisId}/${eventId}`, Date.now());
    });
    await tap.subscribe(createKeys().progressChannel());
    const byStage: Record<string, number[]> = {};
    let finished = 0;
    let replayed = 0;
    let allReplayed: () => void = () => undefined;
    // A refused or broken subscription fails the run at once, instead of leaving it waiting for that subscriber.
    let subscriptionFailed: (error: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (subscriptionFailed = reject));
    const ready = new Promise<void>((resolve) => (allReplayed = resolve));
    const allDone = new Promise<void>((resolve) => {
      for (let index = 0; index < SUBSCRIBERS; index += 1) {
        const client = createClient({ url: apis[index % 2]!.url, token });
        clients.push(client);
        const analysisId = jobIds[index % JOBS]!;
        client.api.analysis.progress.subscribe(
          { analysis_id: analysisId },
          {
            onData: ({ id, data: event }) => {
              if (event.stage !== 'queued') {
                latencies.push(Date.now() - event.at);
                const seen = published.get(`${analysisId}/${id}`);
                if (seen !== undefined) hops.push(Date.now() - seen);
                if (process.env.BENCH_DEBUG) (byStage[event.stage] ??= []).push(Date.now() - event.at);
              } else if (++replayed === SUBSCRIBERS) allReplayed();
            },
            onComplete: () => {
              finished += 1;
              if (finished === SUBSCRIBERS) resolve();
            },
            onError: (error) => subscriptionFailed(error),
          },
        );
      }
    });
    await Promise.race([ready, failed]); // every socket is open and has replayed `queued`: what follows is live
    const started = Date.now();
    const worker = startCandela(['worker'], env);
    processes.push(worker);
    await Promise.race([allDone, failed]);
    const elapsedMs = Date.now() - started;
    latencies.sort((a, b) => a - b);
    hops.sort((a, b) => a - b);
    tap.disconnect();
    if (process.env.BENCH_DEBUG)
      for (const [stage, values] of Object.entries(byStage))
        console.error(
          stage,
          percentile(
            values.sort((a, b) => a - b),
            50,
          ),
          percentile(values, 99),
        );
    console.log(
      JSON.stringify({
        bench: 'progress',
        subscribers: SUBSCRIBERS,
        api_nodes: 2,
        jobs: JOBS,
        live_events: latencies.length,
        latency_ms: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) },
        target_p99_ms: 50,
        api_hop_ms: { p50: percentile(hops, 50), p99: percentile(hops, 99), max: hops.at(-1) },
        worker_concurrency: Number(env.ANALYSIS_WORKER_CONCURRENCY),
        api_rss_mb: apis.map((api) => Math.round(rssMb(api.pid, 'VmRSS'))),
        api_peak_rss_mb: apis.map((api) => Math.round(rssMb(api.pid, 'VmHWM'))),
        elapsed_ms: elapsedMs,
      }),
    );
  } finally {
    for (const client of clients) client.close();
    await stopCandela(processes);
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
