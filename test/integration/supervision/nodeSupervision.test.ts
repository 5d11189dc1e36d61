/**
 * The whole supervision tree, in process on a real redis-server: the reclaimer, the retry
 * scheduler and the heartbeat are restarted after a crash and go on doing their work; past the
 * restart intensity the supervisor escalates; a consumer restarted during a drain reads nothing.
 * A crash is a handler that throws: here, on a message no actor accepts (null).
 */
import { svgToPng } from '../../../integrations/chartRasterizer.js';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Clock } from '../../../actors/clock.js';
import type { JobActorFactory } from '../../../actors/jobActorFactory.js';
import type { JobMessage } from '../../../actors/jobActor.js';
import { spawnNoopJobActor } from '../../../actors/noopJobActor.js';
import { type ActorRef, send, spawnActor, stopActor } from '../../../actors/typedActor.js';
import { loadConfig } from '../../../config/env.js';
import { createFileChartStore } from '../../../storage/charts/fileChartStore.js';
import { createJobQueue, ensureConsumerGroup } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { syntheticCandleSource } from '../../../integrations/marketData/syntheticCandleSource.js';
import type { RestartPolicy } from '../../../supervisors/supervisionPolicy.js';
import { startWorkerNode, type WorkerNode } from '../../../supervisors/workerNode.js';
import { eventually } from '../../support/candelaProcess.js';
import { manualClock } from '../../support/manualClock.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

const keys = createKeys();
let redis: TestRedis;
let node: WorkerNode | undefined;
let logs: { msg: string; child?: string }[];

beforeEach(async () => {
  redis = await startRedis();
  await ensureConsumerGroup(redis.client, keys);
  logs = [];
});
afterEach(async () => {
  await node?.shutdown(0);
  node = undefined;
  await redis.stop();
});

const quick: RestartPolicy = { maxRestarts: 2, windowMs: 60_000, backoff: { initialMs: 20, maxMs: 100 } };

function capturingLogger() {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as { msg: string });
      done();
    },
  });
  return pino({ level: 'info' }, sink);
}

async function start(
  env: Record<string, string>,
  spawnJob: JobActorFactory = spawnNoopJobActor,
  escalations: Error[] = [],
  clock?: Clock,
): Promise<WorkerNode> {
  const config = loadConfig({
    REDIS_URL: redis.url,
    ANALYSIS_WORKER_CONCURRENCY: '1',
    ANALYSIS_WORKER_BATCH_SIZE: '1',
    ...env,
  });
  return startWorkerNode({
    config,
    services: {
      candles: syntheticCandleSource,
      charts: createFileChartStore('/tmp/candela-supervision-charts'),
      rasterize: svgToPng,
      llm: undefined,
    },
    log: capturingLogger(),
    spawnJob,
    blockMs: 100,
    onEscalate: (error) => escalations.push(error),
    policies: { consumer: quick, reclaimer: quick, 'retry-scheduler': quick, heartbeat: quick },
    ...(clock ? { clock } : {}),
  });
}

/** Runs until aborted. */
const hang: JobActorFactory = (parent, options) =>
  spawnActor<null, JobMessage>(parent, {
    name: options.record.analysis_id.toLowerCase(),
    initialState: null,
    receive(state, message, self) {
      if (message.type === 'job.abort') {
        options.onOutcome({ status: 'abandoned', reason: message.reason });
        stopActor(self);
      }
      return state;
    },
  });

/** Makes the child's handler throw, as a bug would. */
const crash = (child: ActorRef<never>) => send(child as unknown as ActorRef<null>, null);

const restarts = (child: string) =>
  logs.filter((line) => line.child === child && /crashed; restarting it/.test(line.msg)).length;
const statusOf = (analysisId: string) => redis.client.hget(keys.job(analysisId), 'status');
const untilStatus = (analysisId: string, status: string, what: string) =>
  eventually(async () => ((await statusOf(analysisId)) === status ? true : undefined), 10_000, what);

test('a crashed reclaimer is restarted and takes over the jobs of a worker that died', async () => {
  const { analysisId } = await createJobQueue(redis.client, keys).enqueue({
    user_id: 'alice',
    symbol: 'BTCUSDT',
    interval: '1h',
    timeframe: '1d',
  });
  // A consumer of another worker reads the entry and dies with it pending.
  await redis.client.xreadgroup('GROUP', keys.group, 'worker-dead-1-c0', 'COUNT', 1, 'STREAMS', keys.stream, '>');
  node = await start({ ANALYSIS_CLAIM_TIMEOUT: '1' });
  crash(node.children.reclaimer);
  await eventually(
    async () => (restarts('reclaimer') === 1 ? true : undefined),
    10_000,
    'the reclaimer to be restarted',
  );
  await untilStatus(analysisId, 'completed', "the dead worker's job to be reclaimed and completed");
  const restartedAt = logs.findIndex((line) => line.child === 'reclaimer');
  expect(logs.findIndex((line) => /took over idle jobs/.test(line.msg))).toBeGreaterThan(restartedAt);
});

test("the restart waits out its backoff on the supervisor's clock: until then no reclaimer runs", async () => {
  const { analysisId } = await createJobQueue(redis.client, keys).enqueue({
    user_id: 'alice',
    symbol: 'BTCUSDT',
    interval: '1h',
    timeframe: '1d',
  });
  await redis.client.xreadgroup('GROUP', keys.group, 'worker-dead-1-c0', 'COUNT', 1, 'STREAMS', keys.stream, '>');
  const clock = manualClock(Date.now());
  node = await start({ ANALYSIS_CLAIM_TIMEOUT: '1' }, spawnNoopJobActor, [], clock);
  crash(node.children.reclaimer);
  await eventually(async () => (restarts('reclaimer') === 1 ? true : undefined), 10_000, 'the restart decision');
  // The dead worker's entry is now idle past the claim timeout: a reclaimer alive would take it.
  await eventually(
    async () => {
      const [pending] = (await redis.client.xpending(keys.stream, keys.group, '-', '+', 1)) as [
        string,
        string,
        number,
        number,
      ][];
      return pending && pending[2] >= 1500 ? true : undefined;
    },
    10_000,
    'the entry to be idle past the claim timeout',
  );
  expect(await statusOf(analysisId)).toBe('queued');
  clock.advance(quick.backoff.initialMs);
  await untilStatus(analysisId, 'completed', 'the restarted reclaimer to take the job over');
});

test('a crashed retry scheduler is restarted and moves due retries back onto the stream', async () => {
  // Fails its first attempt (retryable), completes the second: the job ends only if a scheduler moves the retry.
  const failOnce: JobActorFactory = (parent, options) =>
    options.record.attempts > 0
      ? spawnNoopJobActor(parent, options)
      : spawnActor<null, JobMessage>(parent, {
          name: options.record.analysis_id.toLowerCase(),
          initialState: null,
          receive(state, message, self) {
            if (message.type === 'job.start')
              options.onOutcome({ status: 'failed', error: 'candles: HTTP 503', retryable: true });
            stopActor(self);
            return state;
          },
        });
  node = await start({ ANALYSIS_RETRY_BASE_MS: '50' }, failOnce);
  crash(node.children.scheduler);
  const { analysisId } = await createJobQueue(redis.client, keys).enqueue({
    user_id: 'alice',
    symbol: 'BTCUSDT',
    interval: '1h',
    timeframe: '1d',
  });
  await untilStatus(analysisId, 'completed', 'the retried job to complete');
  expect(restarts('retry-scheduler')).toBe(1);
  expect(await redis.client.hget(keys.job(analysisId), 'attempts')).toBe('1');
});

test('a crashed heartbeat is restarted and registers the worker again', async () => {
  node = await start({ ANALYSIS_HEALTH_CHECK_INTERVAL: '60' });
  const registration = keys.workerHeartbeat(node.workerId);
  await eventually(
    async () => ((await redis.client.exists(registration)) === 1 ? true : undefined),
    10_000,
    'the first registration',
  );
  await redis.client.del(registration);
  crash(node.children.heartbeat);
  // The next beat would be a minute away: only the restart writes it this soon.
  await eventually(
    async () => ((await redis.client.exists(registration)) === 1 ? true : undefined),
    10_000,
    'the restarted heartbeat to register again',
  );
  expect(restarts('heartbeat')).toBe(1);
});

test('a child that keeps crashing past its restart intensity escalates to the process', async () => {
  const escalations: Error[] = [];
  node = await start({}, spawnNoopJobActor, escalations);
  for (let crashes = 1; crashes <= 2; crashes += 1) {
    crash(node.children.heartbeat);
    await eventually(async () => (restarts('heartbeat') === crashes ? true : undefined), 10_000, `restart ${crashes}`);
  }
  expect(escalations).toEqual([]);
  crash(node.children.heartbeat);
  await eventually(async () => (escalations.length === 1 ? true : undefined), 10_000, 'the supervisor to escalate');
  expect(logs.some((line) => /heartbeat keeps crashing; escalating/.test(line.msg))).toBe(true);
});

test('a consumer restarted during a drain reads no new job, and the drain ends without waiting out the grace period', async () => {
  node = await start({}, hang);
  const queue = createJobQueue(redis.client, keys);
  const first = await queue.enqueue({ user_id: 'alice', symbol: 'BTCUSDT', interval: '1h', timeframe: '1d' });
  await untilStatus(first.analysisId, 'processing', 'the first job to start');
  const stopping = node.shutdown(30_000);
  const startedAt = Date.now();
  crash(node.children.consumers[0]!);
  await eventually(
    async () => (restarts(node!.consumerNames[0]!) === 1 ? true : undefined),
    10_000,
    'the consumer to be restarted',
  );
  const second = await queue.enqueue({ user_id: 'alice', symbol: 'ETHUSDT', interval: '1h', timeframe: '1d' });
  await stopping;
  node = undefined;
  expect(Date.now() - startedAt).toBeLessThan(10_000);
  expect(logs.some((line) => /grace period over/.test(line.msg))).toBe(false);
  expect(await statusOf(second.analysisId)).toBe('queued');
  // The first job's entry stays pending under the consumer's name for another worker to reclaim; it was not run again here.
  expect(await redis.client.hget(keys.job(first.analysisId), 'takeovers')).toBeNull();
});

test("the worker's /metrics shows the errors its actors swallowed, by kind", async () => {
  node = await start({ METRICS_PORT: '0' });
  expect(node.metricsPort).toBeDefined();
  const text = await (await fetch(`http://127.0.0.1:${node.metricsPort}/metrics`)).text();
  expect(text).toMatch(/# TYPE candela_worker_swallowed_errors_total counter/);
});

test('the reclaimer takes nothing over for a consumer that is full: an orphan waits, its delivery count unchanged, for room', async () => {
  const queue = createJobQueue(redis.client, keys);
  node = await start({ ANALYSIS_CLAIM_TIMEOUT: '1' }, hang);
  const busy = await queue.enqueue({ user_id: 'alice', symbol: 'BTCUSDT', interval: '1h', timeframe: '1d' });
  await untilStatus(busy.analysisId, 'processing', 'the one slot to be taken');
  const orphan = await queue.enqueue({ user_id: 'bob', symbol: 'ETHUSDT', interval: '1h', timeframe: '1d' });
  await redis.client.xreadgroup('GROUP', keys.group, 'worker-dead-1-c0', 'COUNT', 1, 'STREAMS', keys.stream, '>');
  const entryId = await redis.client.hget(keys.job(orphan.analysisId), 'entry_id');
  // Idle for several reclaim periods (half a second each) past the claim timeout.
  const pending = await eventually(
    async () => {
      const [found] = (await redis.client.xpending(keys.stream, keys.group, entryId!, entryId!, 1)) as [
        string,
        string,
        number,
        number,
      ][];
      return found && found[2] >= 3000 ? found : undefined;
    },
    10_000,
    'the orphan to sit idle through several sweeps',
  );
  expect(pending[1]).toBe('worker-dead-1-c0');
  expect(pending[3]).toBe(1);
  expect(await statusOf(orphan.analysisId)).toBe('queued');
});

test('an open circuit half-opens even when its timer fires before the wall clock reaches the reset time', async () => {
  // Node's timers count from the event loop's cached time, so one can fire a little before
  // Date.now() says its delay is over; the breaker must look again rather than stay open.
  const early: Clock = {
    now: () => Date.now(),
    after(ms, callback) {
      const timer = setTimeout(callback, Math.max(0, ms - 50));
      return () => clearTimeout(timer);
    },
  };
  const failMarketData: JobActorFactory = (parent, options) =>
    spawnActor<null, JobMessage>(parent, {
      name: options.record.analysis_id.toLowerCase(),
      initialState: null,
      receive(state, message, self) {
        if (message.type === 'job.start') {
          options.services.dependencies.report('market-data', false);
          options.onOutcome({ status: 'failed', error: 'candles: HTTP 503', retryable: false });
        }
        stopActor(self);
        return state;
      },
    });
  node = await start(
    { ANALYSIS_CIRCUIT_FAILURE_THRESHOLD: '1', ANALYSIS_CIRCUIT_RESET_TIMEOUT: '0.5' },
    failMarketData,
    [],
    early,
  );
  await createJobQueue(redis.client, keys).enqueue({
    user_id: 'alice',
    symbol: 'BTCUSDT',
    interval: '1h',
    timeframe: '1d',
  });
  await eventually(
    async () => (logs.some((line) => /circuit breaker for market-data opened/.test(line.msg)) ? true : undefined),
    10_000,
    'the market-data circuit to open',
  );
  await eventually(
    async () => (logs.some((line) => /circuit breaker for market-data is half-open/.test(line.msg)) ? true : undefined),
    5_000,
    'the market-data circuit to half-open',
  );
});
