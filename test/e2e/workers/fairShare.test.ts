/**
 * Fair shares between users, end to end: user A queues a 1,000-child scan through the real
 * API, then user B one analysis; a real worker process starts on that queue. B's analysis
 * must complete within a few jobs' time, not after A's thousand: its position (A's children
 * completed before it) is bounded by the admission backlog plus the jobs the worker's
 * consumers hold, whatever the CPU load, since it is a matter of order, not of speed.
 */
import { jest } from '@jest/globals';
import { signToken } from '../../../router/auth.js';
import { type CandelaClient, createClient } from '../../../router/client.js';
import { ensureConsumerGroup } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { type CandelaProcess, eventually, startCandela, stopCandela } from '../../support/candelaProcess.js';
import { killWorker, type NoopWorker, startNoopWorker } from '../../support/noopWorkerProcess.js';
import { freePort, startRedis, type TestRedis } from '../../support/redisServer.js';

jest.setTimeout(240_000);

const keys = createKeys();
const SECRET = 'fair-share-test-secret-0123';
const BACKLOG = 20;
const CONCURRENCY = 2;
const BATCH = 5;
const SYMBOLS = Array.from({ length: 200 }, (_, index) => `FAIR${String(index).padStart(3, '0')}USDT`);
const INTERVALS = ['15m', '30m', '1h', '2h', '4h'] as const;

let redis: TestRedis;
let api: CandelaProcess;
let worker: NoopWorker | undefined;
let alice: CandelaClient;
let bob: CandelaClient;
let env: Record<string, string>;

beforeAll(async () => {
  redis = await startRedis();
  await ensureConsumerGroup(redis.client, keys);
  env = {
    REDIS_URL: redis.url,
    AUTH_SECRET: SECRET,
    PORT: String(await freePort()),
    MARKET_DATA_PROVIDER: 'synthetic',
    DATA_DIR: `/tmp/candela-fair-${process.pid}`,
    ANALYSIS_ADMISSION_BACKLOG: String(BACKLOG),
    ANALYSIS_WORKER_CONCURRENCY: String(CONCURRENCY),
    ANALYSIS_WORKER_BATCH_SIZE: String(BATCH),
  };
  api = startCandela(['api'], env);
  await api.waitForOutput(/api listening/);
  const url = `http://127.0.0.1:${env.PORT}`;
  alice = createClient({ url, token: await signToken(SECRET, 'alice') });
  bob = createClient({ url, token: await signToken(SECRET, 'bob') });
});
afterAll(async () => {
  alice.close();
  bob.close();
  if (worker) await killWorker(worker, 'SIGTERM');
  await stopCandela([api]);
  await redis.stop();
});

const finishedAt = async (analysisId: string) => Number(await redis.client.hget(keys.job(analysisId), 'finished_at'));

test("one user's 1,000-child scan does not starve another user's single analysis", async () => {
  const scan = await alice.api.scans.create.mutate({ symbols: SYMBOLS, intervals: [...INTERVALS], timeframe: '7d' });
  expect(scan.total).toBe(1000);
  const single = await bob.api.analysis.queue.mutate({ symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' });
  // Only the backlog's worth entered the stream; the rest (Bob's job included) waits, `queued`.
  expect(await alice.api.queue.stats.query()).toMatchObject({
    waiting_jobs: BACKLOG,
    waiting_for_admission: 1000 - BACKLOG + 1,
    users_waiting_for_admission: 2,
  });
  expect(await bob.api.analysis.status.query({ analysis_id: single.analysis_id })).toMatchObject({ status: 'queued' });
  const metrics = await (await fetch(`http://127.0.0.1:${env.PORT}/metrics`)).text();
  expect(metrics).toContain(`candela_queue_jobs{state="waiting_for_admission"} ${1000 - BACKLOG + 1}`);

  // Timed from the worker's start: it consumes from its first moment, before it reports ready.
  const started = Date.now();
  worker = await startNoopWorker({ ...env, LOG_LEVEL: 'warn' });
  await eventually(
    async () =>
      (await bob.api.analysis.status.query({ analysis_id: single.analysis_id })).status === 'completed' || undefined,
    120_000,
    "bob's analysis to complete",
  );
  const bobMs = Date.now() - started;
  await eventually(
    async () => (await alice.api.scans.status.query({ scan_id: scan.scan_id })).status === 'completed' || undefined,
    180_000,
    "alice's scan to complete",
  );
  const aliceMs = Date.now() - started;

  const bobFinished = await finishedAt(single.analysis_id);
  const children = scan.children.map((child) => child.analysis_id);
  const aliceFinished = await Promise.all(children.map(finishedAt));
  // Same-millisecond finishes count as before Bob's: the position is never flattered.
  const position = aliceFinished.filter((at) => at <= bobFinished).length;
  process.stdout.write(
    `fair share: bob's analysis completed after ${position} of alice's 1000 children, ${bobMs} ms after the worker started; alice's scan took ${aliceMs} ms\n`,
  );
  expect(aliceFinished.every((at) => at > 0)).toBe(true);
  // What can be ahead of Bob: the backlog admitted before him, a round of ties, and what the consumers hold.
  const bound = 2 * (BACKLOG + CONCURRENCY * BATCH);
  expect(position).toBeLessThanOrEqual(bound);
  expect(position).toBeLessThan(100);
  expect(await alice.api.queue.stats.query()).toMatchObject({
    waiting_for_admission: 0,
    users_waiting_for_admission: 0,
  });
});
