/**
 * Regression tests, against a real redis-server, for queue defects an audit found: a resent
 * enqueue, undeclared keys, ambiguous user keys, a stale error, a stale fresh flag, keyspace
 * scans for live workers, an unbounded and unindexed dead-letter stream, and a replayed job
 * whose old terminal event ended new followers.
 */
import { admissionScriptKeys } from '../../../storage/admission/admission.js';
import { createConsumerQueue, type ClaimedJob, type StreamEntry } from '../../../storage/consumerQueue.js';
import { createDeadLetters } from '../../../storage/deadLetters.js';
import { ActiveJobLimitReached, createJobQueue, ensureConsumerGroup } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { progressEvent } from '../../../storage/progressEvent.js';
import { createProgressLog } from '../../../storage/progressLog.js';
import { PROGRESS_LOG_MAX_EVENTS } from '../../../storage/retention.js';
import { createRetrySchedule } from '../../../storage/retrySchedule.js';
import { runScript } from '../../../storage/scripts/runScript.js';
import { enqueueJobs, SCRIPTS } from '../../../storage/scripts/scriptTable.js';
import { scriptSource } from '../../../storage/scripts/runScript.js';
import { createWorkerRegistry, listWorkers, type WorkerRegistration } from '../../../storage/workerRegistry.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

const keys = createKeys();
let redis: TestRedis;
let blocking: TestRedis['client'];

beforeAll(async () => {
  redis = await startRedis();
  await ensureConsumerGroup(redis.client, keys);
  blocking = redis.client.duplicate();
});
afterAll(async () => {
  blocking.disconnect();
  await redis.stop();
});

const request = (user_id = 'alice') => ({ user_id, symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readOne(
  consumer: string,
  analysisId: string,
  queue = createConsumerQueue(redis.client, keys),
): Promise<StreamEntry> {
  const entries = (await queue.readNew(blocking, consumer, 100, 100)).filter(
    (entry) => entry.analysisId === analysisId,
  );
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

async function claimOne(consumer: string, analysisId: string): Promise<ClaimedJob> {
  const queue = createConsumerQueue(redis.client, keys);
  const { claimed } = await queue.claimBatch(
    [await readOne(consumer, analysisId, queue)],
    () => `${consumer}:token`,
    consumer,
  );
  expect(claimed).toHaveLength(1);
  return claimed[0]!;
}

const finishCompleted = (job: ClaimedJob) =>
  createConsumerQueue(redis.client, keys).finishWithStatus([
    {
      analysisId: job.record.analysis_id,
      entryId: job.entryId,
      ownerToken: job.ownerToken,
      status: 'completed',
      result: { llm_summary: 'done' },
      event: progressEvent('completed', 'finished', 1, 'done', { llm_summary: 'done' }),
    },
  ]);

async function deadLettered(user = 'dlq-user'): Promise<string> {
  const { analysisId } = await createJobQueue(redis.client, keys).enqueue(request(user));
  const job = await claimOne('dl-consumer', analysisId);
  const result = await createConsumerQueue(redis.client, keys).retry({
    analysisId,
    entryId: job.entryId,
    ownerToken: job.ownerToken,
    error: 'boom',
    node: 'dl-consumer',
    maxRetries: 0,
    dueAt: Date.now(),
    event: progressEvent('queued', 'retrying', 0, 'retry'),
  });
  expect(result.outcome).toBe('dead-lettered');
  return analysisId;
}

test('a resent enqueue (the same command after a reconnect) does not revive a finished job', async () => {
  const analysisId = 'analysis_RESENT0000000000000000000';
  const now = Date.now();
  const record = {
    analysis_id: analysisId,
    ...request(),
    status: 'queued',
    created_at: now,
    updated_at: now,
    attempts: 0,
  };
  const call = {
    keys: { stream: keys.stream, ...admissionScriptKeys(keys) },
    args: { maxActive: 100, progressLogMax: PROGRESS_LOG_MAX_EVENTS, group: keys.group, admissionLimit: 0 },
    items: [
      {
        keys: {
          job: keys.job(analysisId),
          userJobs: keys.userJobs('alice'),
          idempotency: keys.idempotency('alice', ''),
          progress: keys.progress(analysisId),
          userActive: keys.userActiveJobs('alice'),
        },
        args: {
          analysisId,
          createdAt: now,
          idempotencyTtl: 0,
          userId: 'alice',
          record: Object.entries(record).flat().map(String),
        },
      },
    ],
  };
  expect(await runScript(redis.client, enqueueJobs, call)).toEqual([{ outcome: 'queued', analysisId }]);
  expect(await finishCompleted(await claimOne('resend', analysisId))).toEqual(['completed']);
  const streamLength = await redis.client.xlen(keys.stream);
  const events = await redis.client.xlen(keys.progress(analysisId));

  expect(await runScript(redis.client, enqueueJobs, call)).toEqual([{ outcome: 'queued', analysisId }]);
  expect(await redis.client.hget(keys.job(analysisId), 'status')).toBe('completed');
  expect(await redis.client.xlen(keys.stream)).toBe(streamLength);
  expect(await redis.client.xlen(keys.progress(analysisId))).toBe(events);
});

test('enqueue declares every key it touches: no key is built inside the script, and the cap still prunes ended jobs', async () => {
  expect(enqueueJobs.args as readonly string[]).not.toContain('jobKeyPrefix');
  for (const spec of SCRIPTS) expect(scriptSource(spec)).not.toMatch(/redis\.call\('[A-Z]+', [\w.]+ \.\./);

  const queue = createJobQueue(redis.client, keys, { maxActiveJobsPerUser: 2 });
  const first = await queue.enqueue(request('capped'));
  await queue.enqueue(request('capped'));
  await expect(queue.enqueue(request('capped'))).rejects.toBeInstanceOf(ActiveJobLimitReached);
  expect(await queue.cancel(first.analysisId, 'capped')).toEqual({ outcome: 'cancelled' });
  // The cancel took it off the active set; end another one behind the set's back, as a finish does.
  const third = await queue.enqueue(request('capped'));
  await redis.client.hset(keys.job(third.analysisId), 'status', 'completed');
  expect((await queue.enqueue(request('capped'))).created).toBe(true);
});

test('user ids are encoded in keys: alice with key x:y and alice:x with key y are two requests', async () => {
  expect(keys.idempotency('alice', 'x:y')).not.toBe(keys.idempotency('alice:x', 'y'));
  expect(keys.userJobs('alice:x')).not.toBe(keys.userJobs('alice'));
  expect(keys.userJobs('alice')).toBe('{market-analysis-jobs}:user:alice:jobs');
  const queue = createJobQueue(redis.client, keys);
  const a = await queue.enqueue(request('alice'), { idempotencyKey: 'x:y' });
  const b = await queue.enqueue(request('alice:x'), { idempotencyKey: 'y' });
  expect(b.created).toBe(true);
  expect(b.analysisId).not.toBe(a.analysisId);
});

test('a job that failed once and then completed has no error', async () => {
  const { analysisId } = await createJobQueue(redis.client, keys).enqueue(request());
  const job = await claimOne('err-1', analysisId);
  await createConsumerQueue(redis.client, keys).retry({
    analysisId,
    entryId: job.entryId,
    ownerToken: job.ownerToken,
    error: 'candles: HTTP 500',
    node: 'err-1',
    maxRetries: 3,
    dueAt: Date.now(),
    event: progressEvent('queued', 'retrying', 0, 'retry'),
  });
  expect(await createRetrySchedule(redis.client, keys).moveDue(Date.now() + 1, 10)).toContain(analysisId);
  expect(await finishCompleted(await claimOne('err-2', analysisId))).toEqual(['completed']);
  expect(await createJobQueue(redis.client, keys).get(analysisId)).toMatchObject({
    status: 'completed',
    error: null,
    attempts: 1,
  });
});

test('an entry that waited in a backlog loses its fresh flag: taken over meanwhile, it is not claimed by its first reader', async () => {
  const { analysisId } = await createJobQueue(redis.client, keys).enqueue(request());
  const queue = createConsumerQueue(redis.client, keys, { freshForMs: 50 });
  const backlogged = await readOne('slow-a', analysisId, queue);
  expect(backlogged.fresh).toBe(true);
  await sleep(120);
  // Another worker's reclaimer (claim timeout 100 ms) takes the idle entry over and claims it.
  const taken = (await queue.takeOverIdle('fast-b', 100, 100, '0-0')).entries.filter(
    (entry) => entry.analysisId === analysisId,
  );
  expect((await queue.claimBatch(taken, () => 'token-b', 'fast-b')).claimed).toHaveLength(1);
  // The first reader claims its backlog now: the entry is not pending for it any more.
  expect(await queue.claimBatch([backlogged], () => 'token-a', 'slow-a')).toEqual({
    claimed: [],
    skipped: [{ analysisId, reason: 'not-pending' }],
  });
  expect(await redis.client.hget(keys.job(analysisId), 'owner')).toBe('token-b');
});

test('live workers come from their index, not a keyspace scan; expired members are dropped on read', async () => {
  const registry = createWorkerRegistry(redis.client, keys);
  const registration = (id: string): WorkerRegistration => ({
    worker_id: id,
    host: 'h',
    pid: 1,
    consumers: [`${id}-c0`],
    started_at: new Date().toISOString(),
    circuit_breaker_state: 'closed',
    last_seen: new Date().toISOString(),
  });
  const metrics = {
    analyses_processed: 3,
    errors_total: 0,
    avg_processing_time: 5,
    uptime: 9,
    circuit_breaker_state: 'closed' as const,
  };
  await registry.register(registration('worker-live'), 30);
  await registry.register(registration('worker-leaving'), 30);
  await registry.publishMetrics('worker-live', metrics, 30);
  await registry.deregister('worker-leaving', metrics);
  // A worker that died: its registration expired, its index entry is long past.
  await redis.client.zadd(keys.workerIndex(), Date.now() - 120_000, 'worker-dead');
  // One that died just now: past its expiry, key gone.
  await redis.client.zadd(keys.workerIndex(), Date.now() - 1000, 'worker-just-dead');
  for (let n = 0; n < 50; n += 1) await redis.client.set(`unrelated:${n}`, 'x');

  await redis.client.config('RESETSTAT');
  const workers = await listWorkers(redis.client, keys);
  const stats = await createJobQueue(redis.client, keys).stats();
  expect(workers.map((worker) => worker.worker_id)).toEqual(['worker-live']);
  expect(workers[0]!.metrics).toMatchObject({ analyses_processed: 3 });
  expect(stats.active_consumers).toBe(0);
  expect(await redis.client.info('commandstats')).not.toMatch(/cmdstat_scan:/);
  expect(await redis.client.zrange(keys.workerIndex(), '0', '-1')).toEqual(['worker-live']);
});

test('dead letters: capped at the configured maximum with their index, replay reads one letter, and a replay counts against the user cap', async () => {
  const capped = createConsumerQueue(redis.client, keys, { deadLetterMax: 3 });
  const ids: string[] = [];
  for (let n = 0; n < 5; n += 1) {
    const { analysisId } = await createJobQueue(redis.client, keys).enqueue(request('many-failures'));
    const job = await claimOne('cap-consumer', analysisId);
    await capped.retry({
      analysisId,
      entryId: job.entryId,
      ownerToken: job.ownerToken,
      error: `boom ${n}`,
      node: 'cap-consumer',
      maxRetries: 0,
      dueAt: Date.now(),
      event: progressEvent('queued', 'retrying', 0, 'retry'),
    });
    ids.push(analysisId);
  }
  expect(await redis.client.xlen(keys.deadLetters())).toBe(3);
  expect((await redis.client.hkeys(keys.deadLetterIndex())).sort()).toEqual(ids.slice(2).sort());
  const dlq = createDeadLetters(redis.client, keys, { maxActiveJobsPerUser: 1 });
  expect(await dlq.replay(ids[0]!)).toBeUndefined();

  await redis.client.config('RESETSTAT');
  expect(await dlq.replay(ids[2]!)).toEqual({ analysis_id: ids[2], replayed: true });
  expect(await redis.client.info('commandstats')).not.toMatch(/cmdstat_xrange:/);
  expect(await redis.client.zscore(keys.userActiveJobs('many-failures'), ids[2]!)).not.toBeNull();
  expect(await redis.client.hexists(keys.deadLetterIndex(), ids[2]!)).toBe(0);
  // The replayed job holds the user's one active slot: neither another replay nor a new job gets in.
  await expect(dlq.replay(ids[3]!)).rejects.toBeInstanceOf(ActiveJobLimitReached);
  expect(await redis.client.hget(keys.job(ids[3]!), 'status')).toBe('failed');
  expect(await redis.client.hexists(keys.deadLetterIndex(), ids[3]!)).toBe(1);
  await expect(
    createJobQueue(redis.client, keys, { maxActiveJobsPerUser: 1 }).enqueue(request('many-failures')),
  ).rejects.toBeInstanceOf(ActiveJobLimitReached);
});

test('a replayed dead letter starts a new attempt in its progress log: a reader without a position does not get the old failure', async () => {
  const analysisId = await deadLettered();
  const log = createProgressLog(redis.client, keys);
  expect((await log.readAfter(analysisId, undefined)).map((message) => message.event.status)).toContain('failed');
  expect(await createDeadLetters(redis.client, keys).replay(analysisId)).toEqual({
    analysis_id: analysisId,
    replayed: true,
  });
  const replayed = await log.readAfter(analysisId, undefined);
  expect(replayed.map((message) => [message.event.status, message.event.message])).toEqual([
    ['queued', 'replayed from the dead-letter stream'],
  ]);
  // A follower that had a position before the replay also continues into the new attempt.
  const all = await redis.client.xrange(keys.progress(analysisId), '-', '+');
  expect((await log.readAfter(analysisId, all[0]![0])).map((message) => message.event.status)).toEqual(['queued']);
  expect(await finishCompleted(await claimOne('replay-c', analysisId))).toEqual(['completed']);
  expect((await log.readAfter(analysisId, undefined)).map((message) => message.event.status)).toEqual([
    'queued',
    'processing',
    'completed',
  ]);
});
