/**
 * The archive outbox end to end: 1,000 jobs through real worker processes whose archiver
 * copies terminal jobs into MongoDB (the stand-in, or MONGODB_URL's server), the worker
 * killed with SIGKILL twice while archiving is under way. Every terminal job ends up in
 * `analyses` exactly once, and the archive stream is empty at the end; the killed workers'
 * archivers are removed from the archive group once their entries were taken over.
 */
import { jest } from '@jest/globals';
import { ensureArchiveGroup } from '../../../storage/archiveOutbox.js';
import { createJobQueue, ensureConsumerGroup } from '../../../storage/jobQueue.js';
import { ARCHIVE_GROUP, createKeys } from '../../../storage/keys.js';
import { ANALYSES_COLLECTION } from '../../../storage/mongo/mongoHistoryStore.js';
import { eventually } from '../../support/candelaProcess.js';
import { startMongoTarget, type MongoTarget } from '../../support/mongoTarget.js';
import { killWorker, type NoopWorker, startNoopWorker } from '../../support/noopWorkerProcess.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

jest.setTimeout(300_000);

const keys = createKeys();
let redis: TestRedis;
let mongo: MongoTarget;
let worker: NoopWorker | undefined;

beforeAll(async () => {
  redis = await startRedis();
  mongo = await startMongoTarget('archiver');
  await ensureConsumerGroup(redis.client, keys);
  await ensureArchiveGroup(redis.client, keys);
});
afterAll(async () => {
  if (worker) await killWorker(worker);
  await mongo.stop();
  await redis.stop();
});

const workerEnv = () => ({
  REDIS_URL: redis.url,
  MONGODB_URL: mongo.url,
  MARKET_DATA_PROVIDER: 'synthetic',
  DATA_DIR: `/tmp/candela-archiver-${process.pid}`,
  ANALYSIS_WORKER_CONCURRENCY: '2',
  ANALYSIS_WORKER_BATCH_SIZE: '10',
  // Entries of a killed worker (jobs and archive batches alike) are taken over after 2 s.
  ANALYSIS_CLAIM_TIMEOUT: '2',
  ANALYSIS_HEALTH_CHECK_INTERVAL: '1',
});

const analyses = () => mongo.connection.db.collection(ANALYSES_COLLECTION);
const archivedCount = () => analyses().countDocuments({});

test(`1,000 jobs, the worker killed twice mid-archive: each terminal job in MongoDB exactly once, the outbox empty (${process.env.MONGODB_URL ? 'MONGODB_URL' : 'stand-in'})`, async () => {
  const queue = createJobQueue(redis.client, keys);
  const ids: string[] = [];
  const enqueue = async (count: number) => {
    for (let start = ids.length, end = ids.length + count; start < end; start += 100) {
      const batch = await Promise.all(
        Array.from({ length: 100 }, (_, index) =>
          queue.enqueue({ user_id: `user${(start + index) % 5}`, symbol: 'BTCUSDT', interval: '1h', timeframe: '1d' }),
        ),
      );
      ids.push(...batch.map((result) => result.analysisId));
    }
  };

  // Half the jobs before each killed worker, so the second one still has archiving to do
  // however fast the first one was; each is killed once it has archived 100 more.
  for (let kill = 0; kill < 2; kill += 1) {
    await enqueue(500);
    const threshold = (await archivedCount()) + 100;
    worker = await startNoopWorker(workerEnv());
    await eventually(
      async () => ((await archivedCount()) >= threshold ? true : undefined),
      180_000,
      `${threshold} archived`,
    );
    await killWorker(worker);
  }
  worker = await startNoopWorker(workerEnv());

  await eventually(
    async () => {
      const [archived, backlog, pending, consumers] = await Promise.all([
        archivedCount(),
        redis.client.xlen(keys.archive()),
        redis.client.xpending(keys.archive(), ARCHIVE_GROUP) as Promise<[number, ...unknown[]]>,
        redis.client.xinfo('CONSUMERS', keys.archive(), ARCHIVE_GROUP) as Promise<unknown[]>,
      ]);
      // Three worker processes archived; only the live one's archiver stays in the group.
      return archived === 1000 && backlog === 0 && pending[0] === 0 && consumers.length === 1 ? true : undefined;
    },
    240_000,
    'every job archived, the outbox drained and the dead archivers removed',
  );
  const [[, survivor]] = (await redis.client.xinfo('CONSUMERS', keys.archive(), ARCHIVE_GROUP)) as [[string, string]];
  expect(survivor).toMatch(new RegExp(`-${worker.child.pid}-archiver$`));

  const perId = await analyses()
    .aggregate<{ _id: string; copies: number }>([{ $group: { _id: '$analysis_id', copies: { $sum: 1 } } }])
    .toArray();
  expect(perId).toHaveLength(1000);
  expect(perId.every((group) => group.copies === 1)).toBe(true);
  expect(new Set(perId.map((group) => group._id))).toEqual(new Set(ids));
  expect(await analyses().countDocuments({ status: { $ne: 'completed' } })).toBe(0);
  // Archived records carry archived_at in Redis; their expiry has started (the default TTL).
  const ttl = await redis.client.ttl(keys.job(ids[0]!));
  expect(ttl).toBeGreaterThan(0);
});
