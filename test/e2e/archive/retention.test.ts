/**
 * Retention in Redis: with ANALYSIS_RESULT_TTL=2, 500 jobs finished by a real worker process
 * leave nothing behind in Redis a few seconds later (DBSIZE back to its baseline: records,
 * progress logs, user indexes, idempotency keys and the retention schedule all gone), and each stays readable
 * through analysis.status when MongoDB is configured, NOT_FOUND when it is not.
 */
import { jest } from '@jest/globals';
import { TRPCError } from '@trpc/server';
import { createJobQueue } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { createMongoHistoryStore } from '../../../storage/mongo/mongoHistoryStore.js';
import { eventually } from '../../support/candelaProcess.js';
import { startMongoTarget, type MongoTarget } from '../../support/mongoTarget.js';
import { killWorker, type NoopWorker, startNoopWorker } from '../../support/noopWorkerProcess.js';
import { type InProcessApi, startInProcessApi } from '../../integration/api/inProcessApi.js';

jest.setTimeout(300_000);

const keys = createKeys();
const JOBS = 500;
let api: InProcessApi;
let mongo: MongoTarget | undefined;
let worker: NoopWorker | undefined;

afterEach(async () => {
  if (worker) await killWorker(worker);
  worker = undefined;
  await mongo?.stop();
  mongo = undefined;
  await api.stop();
});

async function runJobsThroughWorker(extraEnv: Record<string, string>): Promise<string[]> {
  worker = await startNoopWorker({
    REDIS_URL: api.redis.url,
    MARKET_DATA_PROVIDER: 'synthetic',
    DATA_DIR: `/tmp/candela-retention-${process.pid}`,
    ANALYSIS_RESULT_TTL: '2',
    ANALYSIS_WORKER_BATCH_SIZE: '20',
    ANALYSIS_HEALTH_CHECK_INTERVAL: '1',
    ANALYSIS_METRICS_PUBLISH_INTERVAL: '1',
    ...extraEnv,
  });
  const redis = api.redis.client;
  // The baseline: what a running worker keeps (stream, group, heartbeat, metrics; with MongoDB the archive stream).
  await eventually(
    async () =>
      (await redis.keys('worker_metrics:*')).length === 1 && (await redis.keys('workers:*')).length === 1
        ? true
        : undefined,
    60_000,
    'worker registered',
  );
  const baseline = await redis.dbsize();

  const queue = createJobQueue(redis, keys);
  const ids = (
    await Promise.all(
      Array.from({ length: JOBS }, (_, index) =>
        queue.enqueue(
          { user_id: `retention-user${index % 5}`, symbol: 'ETHUSDT', interval: '1h', timeframe: '1d' },
          // Half come with an idempotency key, which must expire with its job.
          index % 2 === 0 ? { idempotencyKey: `retention-order:${index}` } : {},
        ),
      ),
    )
  ).map((result) => result.analysisId);
  expect(await redis.dbsize()).toBeGreaterThan(baseline + JOBS);

  await eventually(
    async () =>
      Number(await redis.hget((await redis.keys('worker_metrics:*'))[0]!, 'analyses_processed')) === JOBS
        ? true
        : undefined,
    180_000,
    `${JOBS} jobs processed`,
  );
  await eventually(
    async () => ((await redis.dbsize()) === baseline ? true : undefined),
    120_000,
    `DBSIZE back to the baseline of ${baseline}`,
  );
  expect(await redis.keys('{market-analysis-jobs}:job:*')).toEqual([]);
  expect(await redis.keys('{market-analysis-jobs}:user:*')).toEqual([]);
  return ids;
}

test('without MongoDB: 500 finished jobs expire from Redis entirely, and their status is NOT_FOUND', async () => {
  api = await startInProcessApi();
  const ids = await runJobsThroughWorker({});
  const caller = api.caller(await api.token('retention-user0'));
  for (const id of ids.filter((_, index) => index % 5 === 0)) {
    const error = await caller.analysis.status({ analysis_id: id }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('NOT_FOUND');
  }
});

test('with MongoDB: 500 finished jobs expire from Redis entirely, and each stays readable through analysis.status', async () => {
  api = await startInProcessApi();
  mongo = await startMongoTarget('retention');
  api.services.mongo = {
    history: createMongoHistoryStore(mongo.connection.db),
    ping: () => Promise.resolve(true),
  };
  const ids = await runJobsThroughWorker({ MONGODB_URL: mongo.url });
  const tokens = new Map<string, string>();
  for (let user = 0; user < 5; user += 1) tokens.set(`retention-user${user}`, await api.token(`retention-user${user}`));
  for (const [index, id] of ids.entries()) {
    const owner = `retention-user${index % 5}`;
    const job = await api.caller(tokens.get(owner)).analysis.status({ analysis_id: id });
    expect(job).toMatchObject({ analysis_id: id, user_id: owner, status: 'completed', symbol: 'ETHUSDT' });
  }
  // The same ownership rule as in Redis: another user's archived analysis does not exist for them.
  const other = await api
    .caller(tokens.get('retention-user1'))
    .analysis.status({ analysis_id: ids[0]! })
    .catch((caught: unknown) => caught);
  expect((other as TRPCError).code).toBe('NOT_FOUND');
});
