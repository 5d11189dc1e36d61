/**
 * OTP-style supervision of consumers, in process on a real redis-server: a consumer that
 * crashes is restarted under its name and finishes the entry it held; one that keeps crashing
 * past the restart intensity escalates to the process.
 */
import { svgToPng } from '../../../integrations/chartRasterizer.js';
import pino from 'pino';
import type { JobActorFactory } from '../../../actors/jobActorFactory.js';
import { spawnNoopJobActor } from '../../../actors/noopJobActor.js';
import { loadConfig } from '../../../config/env.js';
import { createJobQueue, ensureConsumerGroup } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { createFileChartStore } from '../../../storage/charts/fileChartStore.js';
import { syntheticCandleSource } from '../../../integrations/marketData/syntheticCandleSource.js';
import { startWorkerNode, type WorkerNode } from '../../../supervisors/workerNode.js';
import { eventually } from '../../support/candelaProcess.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

const keys = createKeys();
let redis: TestRedis;
let node: WorkerNode | undefined;

beforeEach(async () => {
  redis = await startRedis();
  await ensureConsumerGroup(redis.client, keys);
});
afterEach(async () => {
  await node?.shutdown(0);
  node = undefined;
  await redis.stop();
});

/** Spawning the job actor throws (inside the consumer's handler, so the consumer crashes) while `crashes` says so. */
function crashingFactory(shouldCrash: (symbol: string) => boolean): JobActorFactory {
  return (parent, options) => {
    if (shouldCrash(options.record.symbol)) throw new Error(`cannot start ${options.record.symbol}`);
    return spawnNoopJobActor(parent, options);
  };
}

async function start(
  spawnJob: JobActorFactory,
  onEscalate: (error: Error) => void,
  maxDeliveries = 5,
): Promise<WorkerNode> {
  const config = loadConfig({
    REDIS_URL: redis.url,
    ANALYSIS_WORKER_CONCURRENCY: '1',
    ANALYSIS_WORKER_BATCH_SIZE: '1',
    ANALYSIS_CLAIM_TIMEOUT: '30',
    ANALYSIS_MAX_DELIVERIES: String(maxDeliveries),
  });
  return startWorkerNode({
    config,
    services: {
      candles: syntheticCandleSource,
      charts: createFileChartStore('/tmp/candela-supervision-charts'),
      rasterize: svgToPng,
      llm: undefined,
    },
    log: pino({ level: 'silent' }),
    spawnJob,
    blockMs: 100,
    onEscalate,
  });
}

test('a crashed consumer is restarted under its name and finishes the entry it held', async () => {
  let crashesLeft = 1;
  const escalations: Error[] = [];
  node = await start(
    crashingFactory(() => crashesLeft-- > 0),
    (error) => escalations.push(error),
  );
  const { analysisId } = await createJobQueue(redis.client, keys).enqueue({
    user_id: 'alice',
    symbol: 'BTCUSDT',
    interval: '1h',
    timeframe: '1d',
  });
  await eventually(
    async () => ((await redis.client.hget(keys.job(analysisId), 'status')) === 'completed' ? true : undefined),
    10_000,
    'the job to complete after the restart',
  );
  expect(escalations).toEqual([]);
  // The restarted consumer took its own pending entry over (the first claim's owner was the crashed actor).
  expect(await redis.client.hget(keys.job(analysisId), 'takeovers')).toBe('1');
});

test('a job that crashes its consumer every time is dead-lettered as poison before the restarts run out', async () => {
  // Each restart re-reads the consumer's own pending entry, which counts a delivery.
  const escalations: Error[] = [];
  node = await start(
    crashingFactory((symbol) => symbol === 'CRASHUSDT'),
    (error) => escalations.push(error),
  );
  const queue = createJobQueue(redis.client, keys);
  const { analysisId } = await queue.enqueue({
    user_id: 'alice',
    symbol: 'CRASHUSDT',
    interval: '1h',
    timeframe: '1d',
  });
  await eventually(
    async () => ((await redis.client.hget(keys.job(analysisId), 'status')) === 'failed' ? true : undefined),
    10_000,
    'the crashing job to be dead-lettered',
  );
  expect(await redis.client.hget(keys.job(analysisId), 'error')).toMatch(/poison message/);
  expect(await redis.client.xlen(keys.deadLetters())).toBe(1);
  // The worker lives on and takes the next job.
  const next = await queue.enqueue({ user_id: 'alice', symbol: 'ETHUSDT', interval: '1h', timeframe: '1d' });
  await eventually(
    async () => ((await redis.client.hget(keys.job(next.analysisId), 'status')) === 'completed' ? true : undefined),
    10_000,
    'the next job to complete',
  );
  expect(escalations).toEqual([]);
});

test('a consumer that keeps crashing past the restart intensity escalates to the process', async () => {
  const escalations: Error[] = [];
  node = await start(
    crashingFactory((symbol) => symbol === 'CRASHUSDT'),
    (error) => escalations.push(error),
    100,
  );
  await createJobQueue(redis.client, keys).enqueue({
    user_id: 'alice',
    symbol: 'CRASHUSDT',
    interval: '1h',
    timeframe: '1d',
  });
  await eventually(async () => (escalations.length > 0 ? true : undefined), 10_000, 'the supervisor to escalate');
  expect(escalations[0]?.message).toBe('cannot start CRASHUSDT');
});
