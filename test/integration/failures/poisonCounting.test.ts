/**
 * Which deliveries count toward the poison limit, against a real redis-server: only runs
 * whose worker never spoke again (died or crashed while running the job). A live but slow
 * owner whose job was taken over shows itself with its next write (a claim refresh, a
 * progress event, a finish), and its run stops counting.
 */
import { createConsumerQueue, type ClaimedJob } from '../../../storage/consumerQueue.js';
import { createDeadLetters } from '../../../storage/deadLetters.js';
import { createJobQueue, ensureConsumerGroup } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { progressEvent } from '../../../storage/progressEvent.js';
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

const MAX_DELIVERIES = 2;
const workers = () => createConsumerQueue(redis.client, keys, { maxDeliveries: MAX_DELIVERIES });
const request = { user_id: 'alice', symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' };
/** Consumers named as worker nodes name them: `{worker}-c{n}`. */
const consumerA = 'worker-host-a-101-c0';
const consumerB = 'worker-host-b-202-c0';
let tokens = 0;
const tokenFor = (consumer: string) => () => `${consumer}:${++tokens}`;

async function claimFresh(consumer: string, analysisId: string): Promise<ClaimedJob> {
  const entries = (await workers().readNew(blocking, consumer, 100, 100)).filter(
    (entry) => entry.analysisId === analysisId,
  );
  const report = await workers().claimBatch(entries, tokenFor(consumer), consumer);
  expect(report.claimed).toHaveLength(1);
  return report.claimed[0]!;
}

/** What the reclaimer and a consumer do with an entry idle past the claim timeout: XAUTOCLAIM, then claim it. */
async function takeOver(consumer: string, analysisId: string) {
  const { entries } = await workers().takeOverIdle(consumer, 0, 100, '0-0');
  return workers().claimBatch(
    entries.filter((entry) => entry.analysisId === analysisId),
    tokenFor(consumer),
    consumer,
  );
}

const statusOf = async (analysisId: string) => redis.client.hget(keys.job(analysisId), 'status');

test('a job whose worker dies while running it is dead-lettered once its runs reach ANALYSIS_MAX_DELIVERIES', async () => {
  const { analysisId } = await createJobQueue(redis.client, keys).enqueue(request);
  await claimFresh(consumerA, analysisId);
  // A dies (never writes again); B takes the job over, runs it, and dies too.
  expect((await takeOver(consumerB, analysisId)).claimed).toHaveLength(1);
  const third = await takeOver('worker-host-c-303-c0', analysisId);
  expect(third).toEqual({ claimed: [], skipped: [{ analysisId, reason: 'dead-lettered' }] });
  expect(await statusOf(analysisId)).toBe('failed');
  expect(await redis.client.hget(keys.job(analysisId), 'error')).toMatch(
    /poison message: its worker died while running it 2 times/,
  );
  const letters = await createDeadLetters(redis.client, keys).list();
  expect(letters.filter((letter) => letter.analysis_id === analysisId)).toHaveLength(1);
});

test('a live but slow owner taken over more often than the limit is not dead-lettered, and the job completes', async () => {
  const { analysisId } = await createJobQueue(redis.client, keys).enqueue(request);
  let job = await claimFresh(consumerA, analysisId);
  let owner = consumerA;
  // Two owners that stall past the claim timeout in turn: each is taken over by the other, and
  // each, awake again, refreshes its claim (and finds it lost), as a stalled consumer does.
  const takeovers = MAX_DELIVERIES * 3;
  for (let round = 0; round < takeovers; round += 1) {
    const next = owner === consumerA ? consumerB : consumerA;
    const report = await takeOver(next, analysisId);
    expect(report.skipped).toEqual([]);
    expect(report.claimed).toHaveLength(1);
    const refreshed = await workers().refreshClaimStates(owner, [
      { analysisId, entryId: job.entryId, ownerToken: job.ownerToken },
    ]);
    expect(refreshed).toEqual(['lost']);
    job = report.claimed[0]!;
    owner = next;
  }
  expect(await redis.client.hget(keys.job(analysisId), 'takeovers')).toBe(String(takeovers));
  const finished = await workers().finishWithStatus([
    {
      analysisId,
      entryId: job.entryId,
      ownerToken: job.ownerToken,
      status: 'completed',
      result: { image_url: '/charts/x.png', llm_summary: 'ok', summary_source: 'rule-based' },
      event: progressEvent('completed', 'finished', 1, 'done'),
    },
  ]);
  expect(finished).toEqual(['completed']);
  expect(await createDeadLetters(redis.client, keys).list()).not.toContainEqual(
    expect.objectContaining({ analysis_id: analysisId }),
  );
});

test('a progress write fenced out also shows the slow owner alive; only the silent owner counts', async () => {
  const { analysisId } = await createJobQueue(redis.client, keys).enqueue(request);
  const first = await claimFresh(consumerA, analysisId);
  const second = (await takeOver(consumerB, analysisId)).claimed[0]!;
  // A wakes up and tries to report a stage: fenced out, but alive.
  expect(
    await workers().appendProgress(analysisId, first.ownerToken, progressEvent('processing', 'candles', 0.25, 'x')),
  ).toBe(false);
  // B dies silently: one crashed run, under the limit of 2, so C runs it.
  expect((await takeOver('worker-host-c-303-c0', analysisId)).claimed).toHaveLength(1);
  expect(second.ownerToken).not.toBe(first.ownerToken);
  expect(await statusOf(analysisId)).toBe('processing');
  // C dies too: now two crashed runs.
  expect((await takeOver('worker-host-d-404-c0', analysisId)).skipped).toEqual([
    { analysisId, reason: 'dead-lettered' },
  ]);
});

test('a takeover by another consumer of the same live worker does not count; a consumer restarted with its job does', async () => {
  const { analysisId } = await createJobQueue(redis.client, keys).enqueue(request);
  await claimFresh(consumerA, analysisId);
  // c1 of A's own process takes the job over from c0: that process is alive.
  expect((await takeOver('worker-host-a-101-c1', analysisId)).claimed).toHaveLength(1);
  // c1 re-claims its own entry twice, as a restarted consumer does: both runs were lost with it.
  expect((await takeOver('worker-host-a-101-c1', analysisId)).claimed).toHaveLength(1);
  expect((await takeOver('worker-host-a-101-c1', analysisId)).skipped).toEqual([
    { analysisId, reason: 'dead-lettered' },
  ]);
});

test('runs given up at shutdown are released: however many, they do not count as crashed', async () => {
  const { analysisId } = await createJobQueue(redis.client, keys).enqueue(request);
  let job = await claimFresh(consumerA, analysisId);
  const owners = ['worker-host-b-202-c0', 'worker-host-c-303-c0', 'worker-host-d-404-c0', 'worker-host-e-505-c0'];
  for (const next of owners) {
    // Each owner is stopped past its grace (a deploy): it releases its run, and the next one takes over.
    await workers().releaseRun(analysisId, job.ownerToken);
    const report = await takeOver(next, analysisId);
    expect(report.skipped).toEqual([]);
    job = report.claimed[0]!;
  }
  // The last owner is killed without a word: one crashed run, under the limit of 2.
  expect((await takeOver('worker-host-f-606-c0', analysisId)).claimed).toHaveLength(1);
  expect(await statusOf(analysisId)).toBe('processing');
});

test('a worker process that claims a job again withdraws the doubt on its own earlier run: one death counts once', async () => {
  const { analysisId } = await createJobQueue(redis.client, keys).enqueue(request);
  const first = await claimFresh(consumerA, analysisId);
  // A stalls; B takes the job over (A's run in doubt). A wakes, and its other consumer takes the
  // job back from B (which stalled in turn) before A's c0 refreshed; B, awake, finds it lost.
  const second = (await takeOver(consumerB, analysisId)).claimed[0]!;
  expect((await takeOver('worker-host-a-101-c1', analysisId)).claimed).toHaveLength(1);
  expect(await workers().refreshClaimStates(consumerB, [{ analysisId, ...second }])).toEqual(['lost']);
  expect(first.ownerToken).not.toBe(second.ownerToken);
  // A dies once, with one run open: one crashed run, under the limit of 2, so C runs it.
  expect((await takeOver('worker-host-c-303-c0', analysisId)).claimed).toHaveLength(1);
  expect(await statusOf(analysisId)).toBe('processing');
  expect(await redis.client.hget(keys.job(analysisId), 'doubted_runs')).toMatch(/^worker-host-a-101-c1:\S+$/);
});
