/**
 * The enqueues of one turn go out as one script call per partition, on a real redis-server,
 * and each job is still checked as if queued on its own: the cap, idempotency keys and a
 * partition's slot hold inside a batch.
 */
import { ActiveJobLimitReached, createJobQueue, ensureConsumerGroups } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { parseProgressEvent } from '../../../storage/progressEvent.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

const keys = createKeys(undefined, undefined, 2);
let redis: TestRedis;

const userIn = (partition: number, from = 0) => {
  for (let index = from; ; index += 1) if (keys.userPartition(`user-${index}`) === partition) return `user-${index}`;
};
const request = (userId: string) => ({ user_id: userId, symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' });

/** Script calls redis-server has run so far (EVALSHA, and EVAL for a script it did not hold yet). */
async function scriptCalls(): Promise<number> {
  const stats = await redis.client.info('commandstats');
  return [...stats.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+)/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

beforeAll(async () => {
  redis = await startRedis();
  await ensureConsumerGroups(redis.client, keys);
});
beforeEach(async () => {
  await redis.client.flushall();
  await ensureConsumerGroups(redis.client, keys);
});
afterAll(() => redis.stop());

test('250 enqueues of one turn in one partition take three script calls, and every job is queued whole', async () => {
  const queue = createJobQueue(redis.client, keys);
  const user = userIn(0);
  await queue.enqueue(request(user)); // loads the script, outside the count
  const before = await scriptCalls();
  const results = await Promise.all(Array.from({ length: 250 }, () => queue.enqueue(request(user))));
  expect((await scriptCalls()) - before).toBe(3);

  expect(new Set(results.map((result) => result.analysisId)).size).toBe(250);
  expect(results.every((result) => result.created)).toBe(true);
  expect(await redis.client.xlen(keys.forPartition(0).stream)).toBe(251);
  expect(await redis.client.zcard(keys.userJobs(user))).toBe(251);
  for (const { analysisId } of [results[0]!, results[249]!]) {
    expect(await queue.get(analysisId)).toMatchObject({ status: 'queued', user_id: user, attempts: 0 });
    const events = (await redis.client.xrange(keys.progress(analysisId), '-', '+')) as [string, string[]][];
    const createdAt = Number(await redis.client.hget(keys.job(analysisId), 'created_at'));
    expect(events.map(([, fields]) => parseProgressEvent(JSON.parse(fields[1]!)))).toEqual([
      { status: 'queued', stage: 'queued', progress: 0, message: 'queued', at: createdAt },
    ]);
  }
});

test('a batch keeps the cap per user: the job past it is refused and nothing of it is written', async () => {
  const queue = createJobQueue(redis.client, keys, { maxActiveJobsPerUser: 2 });
  const user = userIn(1);
  const other = userIn(1, Number(user.slice('user-'.length)) + 1);
  const outcomes = await Promise.allSettled([
    queue.enqueue(request(user)),
    queue.enqueue(request(user)),
    queue.enqueue(request(user)),
    queue.enqueue(request(other)),
  ]);
  expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(ActiveJobLimitReached);
  expect(await redis.client.zcard(keys.userJobs(user))).toBe(2);
  expect(await redis.client.zcard(keys.userActiveJobs(user))).toBe(2);
  expect(await redis.client.xlen(keys.forPartition(1).stream)).toBe(3);
});

test('two enqueues with one idempotency key in one batch queue one job, and the second is told so', async () => {
  const queue = createJobQueue(redis.client, keys);
  const user = userIn(0);
  const [first, second] = await Promise.all([
    queue.enqueue(request(user), { idempotencyKey: 'same-request' }),
    queue.enqueue(request(user), { idempotencyKey: 'same-request' }),
  ]);
  expect(first).toEqual({ analysisId: first.analysisId, created: true });
  expect(second).toEqual({ analysisId: first.analysisId, created: false });
  expect(await redis.client.zcard(keys.userJobs(user))).toBe(1);
  expect(await redis.client.xlen(keys.forPartition(0).stream)).toBe(1);
});

test("one turn's enqueues for two partitions take one call per partition, each job in its own slot", async () => {
  const queue = createJobQueue(redis.client, keys);
  const users = [userIn(0), userIn(1)];
  await Promise.all(users.map((user) => queue.enqueue(request(user))));
  const before = await scriptCalls();
  await Promise.all(Array.from({ length: 10 }, (_, index) => queue.enqueue(request(users[index % 2]!))));
  expect((await scriptCalls()) - before).toBe(2);
  expect(await redis.client.xlen(keys.forPartition(0).stream)).toBe(6);
  expect(await redis.client.xlen(keys.forPartition(1).stream)).toBe(6);
});
