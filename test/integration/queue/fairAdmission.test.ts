/**
 * Fair admission against a real redis-server: jobs wait when the stream's undelivered backlog
 * is at its limit, and are admitted round-robin between users, by weight; a cancelled waiting
 * job leaves no trace; a Redis killed mid-admission loses no job.
 */
import { createAdmission } from '../../../storage/admission/admission.js';
import { createConsumerQueue } from '../../../storage/consumerQueue.js';
import { createJobQueue, ensureConsumerGroup } from '../../../storage/jobQueue.js';
import { createKeys, type QueueKeys } from '../../../storage/keys.js';
import { progressEvent } from '../../../storage/progressEvent.js';
import type { RedisClient } from '../../../storage/redisConnection.js';
import { createScanStore } from '../../../storage/scans/scanStore.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

let redis: TestRedis;
let streams = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

/** A stream of its own per test, so one test's waiting jobs never meet another's. */
async function freshQueue(limit: number) {
  streams += 1;
  const keys = createKeys(`fair-${streams}`);
  await ensureConsumerGroup(redis.client, keys);
  return {
    keys,
    queue: createJobQueue(redis.client, keys, { admissionBacklog: limit }),
    admission: createAdmission(redis.client, keys, { admissionBacklog: limit }),
  };
}

const request = (user: string) => ({ user_id: user, symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' });

async function enqueueMany(queue: ReturnType<typeof createJobQueue>, user: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) ids.push((await queue.enqueue(request(user))).analysisId);
  return ids;
}

/** What a consumer would do: take every undelivered entry, returning their job ids in stream order. */
async function deliverAll(client: RedisClient, keys: QueueKeys): Promise<string[]> {
  const reply = (await client.xreadgroup(
    'GROUP',
    keys.group,
    'reader',
    'COUNT',
    10_000,
    'STREAMS',
    keys.stream,
    '>',
  )) as [string, [string, string[]][]][] | null;
  return (reply?.[0]?.[1] ?? []).map(([, fields]) => fields[1]!);
}

async function userOf(client: RedisClient, keys: QueueKeys, analysisId: string): Promise<string> {
  return (await client.hget(keys.job(analysisId), 'user_id')) ?? 'missing';
}

test('under the backlog limit and with nobody waiting, jobs go straight to the stream', async () => {
  const { keys, queue } = await freshQueue(5);
  const ids = await enqueueMany(queue, 'alice', 3);
  expect(await redis.client.xlen(keys.stream)).toBe(3);
  expect(await redis.client.zcard(keys.admission.queue)).toBe(0);
  for (const id of ids) expect(await redis.client.hget(keys.job(id), 'entry_id')).toMatch(/^\d+-\d+$/);
  expect(await queue.stats()).toMatchObject({ waiting_for_admission: 0, users_waiting_for_admission: 0 });
});

test('past the limit jobs wait, stay queued, and are admitted round-robin between users', async () => {
  const { keys, queue, admission } = await freshQueue(4);
  const alice = await enqueueMany(queue, 'alice', 10);
  const bob = await enqueueMany(queue, 'bob', 2);
  const carol = await enqueueMany(queue, 'carol', 1);
  // The first four of alice's went in; everything else waits, still `queued`, with its `queued` event.
  expect(await deliverAll(redis.client, keys)).toEqual(alice.slice(0, 4));
  expect(await queue.stats()).toMatchObject({ waiting_for_admission: 9, users_waiting_for_admission: 3 });
  const waiting = await queue.get(bob[0]!);
  expect(waiting).toMatchObject({ status: 'queued' });
  expect(await redis.client.hget(keys.job(bob[0]!), 'entry_id')).toBeNull();
  expect(JSON.parse((await redis.client.xrange(keys.progress(bob[0]!), '-', '+'))[0]![1][1]!)).toMatchObject({
    status: 'queued',
  });

  // Round one: alice's next, then one each of alice, bob and carol (equal tags, in any order).
  expect(await admission.admit()).toHaveLength(4);
  const first = await deliverAll(redis.client, keys);
  expect(first[0]).toBe(alice[4]);
  expect(await Promise.all(first.map((id) => userOf(redis.client, keys, id))).then((users) => users.sort())).toEqual([
    'alice',
    'alice',
    'bob',
    'carol',
  ]);
  // Round two: bob's last job comes before alice's remaining four.
  await admission.admit();
  const second = await deliverAll(redis.client, keys);
  expect(second.slice(0, 2)).toContain(bob[1]);
  await admission.admit();
  const rest = await deliverAll(redis.client, keys);
  // Every job was admitted exactly once, nothing is left waiting and the per-user bookkeeping is gone.
  expect([...alice.slice(0, 4), ...first, ...second, ...rest].sort()).toEqual([...alice, ...bob, ...carol].sort());
  expect(await redis.client.exists(keys.admission.queue, keys.admission.waiting, keys.admission.tags)).toBe(0);
});

test('a user of weight 3 is admitted three times as often as a user of weight 1', async () => {
  const { keys, queue, admission } = await freshQueue(4);
  await admission.setWeight('heavy', 3);
  await enqueueMany(queue, 'filler', 4);
  const arrivals: string[] = [];
  for (let index = 0; index < 12; index += 1) {
    arrivals.push((await queue.enqueue(request('heavy'))).analysisId);
    arrivals.push((await queue.enqueue(request('light'))).analysisId);
  }
  await deliverAll(redis.client, keys);
  const admitted: string[] = [];
  while (admitted.length < 12) {
    await admission.admit();
    admitted.push(...(await deliverAll(redis.client, keys)));
  }
  const users = await Promise.all(admitted.slice(0, 12).map((id) => userOf(redis.client, keys, id)));
  const heavy = users.filter((user) => user === 'heavy').length;
  // Tags heavy 1/3, 2/3, 1, ...; light 4/3, 7/3, ...: nine of the first twelve are heavy's.
  expect(heavy).toBe(9);
  expect(users.length - heavy).toBe(3);
});

test('cancelling a waiting job removes it from the admission queue and it never enters the stream', async () => {
  const { keys, queue, admission } = await freshQueue(1);
  await enqueueMany(queue, 'alice', 1);
  const [kept, cancelled] = await enqueueMany(queue, 'bob', 2);
  expect(await queue.stats()).toMatchObject({ waiting_for_admission: 2, users_waiting_for_admission: 1 });
  expect(await queue.cancel(cancelled!, 'bob')).toEqual({ outcome: 'cancelled' });
  expect(await queue.get(cancelled!)).toMatchObject({ status: 'cancelled' });
  expect(await admission.waitingFor('bob')).toBe(1);
  await deliverAll(redis.client, keys);
  expect(await admission.admit()).toEqual([kept]);
  expect(await deliverAll(redis.client, keys)).toEqual([kept]);
  expect(await admission.admit()).toEqual([]);
  expect(await redis.client.exists(keys.admission.queue, keys.admission.waiting, keys.admission.tags)).toBe(0);
});

test('finishing jobs admits waiting ones into the room left, and an admitted job is claimed like any other', async () => {
  const { keys, queue } = await freshQueue(2);
  const workers = createConsumerQueue(redis.client, keys, { admissionBacklog: 2 });
  const ids = await enqueueMany(queue, 'alice', 5);
  const blocking = redis.client.duplicate();
  try {
    const done: string[] = [];
    while (done.length < ids.length) {
      const entries = await workers.readNew(blocking, 'c1', 10, 100);
      const { claimed, skipped } = await workers.claimBatch(entries, (entry) => `c1:${entry.entryId}`, 'c1');
      expect(skipped).toEqual([]);
      const finished = await workers.finishWithStatus(
        claimed.map((job) => ({
          analysisId: job.record.analysis_id,
          entryId: job.entryId,
          ownerToken: job.ownerToken,
          status: 'completed' as const,
          result: {},
          event: progressEvent('completed', 'finished', 1, 'done'),
        })),
      );
      expect(finished.every((status) => status === 'completed')).toBe(true);
      done.push(...claimed.map((job) => job.record.analysis_id));
    }
    // FIFO for one user, with no admitter running: the finish script alone admitted the rest.
    expect(done).toEqual(ids);
    expect(await redis.client.zcard(keys.admission.queue)).toBe(0);
  } finally {
    blocking.disconnect();
  }
});

test('a scan past the limit waits child by child, in order, and its children share admission with others', async () => {
  const { keys, queue, admission } = await freshQueue(3);
  const scans = createScanStore(redis.client, keys, queue, {
    maxActiveJobsPerUser: 100,
    childrenCountAs: 'scan',
    admissionBacklog: 3,
  });
  const scan = await scans.create('alice', {
    symbols: ['AAAUSDT', 'BBBUSDT', 'CCCUSDT', 'DDDUSDT', 'EEEUSDT', 'FFFUSDT', 'GGGUSDT', 'HHHUSDT'],
    intervals: ['1h'],
    timeframe: '7d',
  });
  const children = scan.children.map((child) => child.analysisId);
  const [bob] = await enqueueMany(queue, 'bob', 1);
  expect(await deliverAll(redis.client, keys)).toEqual(children.slice(0, 3));
  await admission.admit();
  // Bob's one job is in the first round after the scan's head, not after its eight children.
  expect(await deliverAll(redis.client, keys)).toContain(bob);
});

test('a Redis killed while jobs are admitted keeps every job in exactly one place', async () => {
  const durable = await startRedis({ appendOnly: true });
  try {
    const keys = createKeys('fair-crash');
    await ensureConsumerGroup(durable.client, keys);
    const queue = createJobQueue(durable.client, keys, { admissionBacklog: 5 });
    const admission = createAdmission(durable.client, keys, { admissionBacklog: 5 });
    const ids = [...(await enqueueMany(queue, 'alice', 60)), ...(await enqueueMany(queue, 'bob', 60))];
    // Admission runs while Redis is killed; some of these calls fail, none may split a move.
    const churn = (async () => {
      for (let round = 0; round < 200; round += 1) {
        await deliverAll(durable.client, keys).catch(() => []);
        await admission.admit().catch(() => []);
      }
    })();
    await durable.restart('SIGKILL');
    await churn;
    const inStream = new Set((await durable.client.xrange(keys.stream, '-', '+')).map(([, fields]) => fields[1]!));
    const waiting = new Set(
      (await durable.client.zrange(keys.admission.queue, '0', '-1')).map((member) => member.split(':')[0]!),
    );
    const counts = await durable.client.hgetall(keys.admission.waiting);
    let recorded = 0;
    for (const id of ids) {
      if ((await durable.client.exists(keys.job(id))) === 0) continue; // not yet on disk when killed
      recorded += 1;
      expect([id, inStream.has(id) !== waiting.has(id)]).toEqual([id, true]);
    }
    expect(recorded).toBeGreaterThan(0);
    // The per-user counts agree with the queue itself.
    expect(Number(counts.alice ?? 0) + Number(counts.bob ?? 0)).toBe(waiting.size);
  } finally {
    await durable.stop();
  }
});
