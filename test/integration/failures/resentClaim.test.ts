/**
 * A claim run twice with the same owner tokens, against a real redis-server: what happens when
 * the client re-sends a claim whose reply was lost when its connection dropped (ioredis retries
 * in-flight commands after a reconnect). The second run finds the job's run opened by the very
 * token it claims with: that run is its own and live, so it is claimed again, not put in doubt,
 * and the token still finishes the job.
 */
import { createConsumerQueue, type StreamEntry } from '../../../storage/consumerQueue.js';
import { createJobQueue } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { progressEvent } from '../../../storage/progressEvent.js';
import { type TestRedis, useQueueRedis } from '../../support/redisServer.js';

const keys = createKeys();
const redis = useQueueRedis(keys);
let blocking: TestRedis['client'];

beforeAll(() => {
  blocking = redis.client.duplicate();
});
afterAll(() => {
  blocking.disconnect();
});

const MAX_DELIVERIES = 3;
const workers = () => createConsumerQueue(redis.client, keys, { maxDeliveries: MAX_DELIVERIES });
/** Consumers named as worker nodes name them: `{worker}-c{n}`. */
const FIRST = 'worker-host-a-101-c0';
const SECOND = 'worker-host-b-202-c0';
const request = { user_id: 'alice', symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' };

const field = (analysisId: string, name: string) => redis.client.hget(keys.job(analysisId), name);
const stages = async (analysisId: string) =>
  (await redis.client.xrange(keys.progress(analysisId), '-', '+')).map(
    ([, fields]) => (JSON.parse(fields[1]!) as { stage: string }).stage,
  );

async function readFresh(consumer: string, analysisId: string): Promise<StreamEntry[]> {
  const entries = (await workers().readNew(blocking, consumer, 100, 100)).filter(
    (entry) => entry.analysisId === analysisId,
  );
  expect(entries).toHaveLength(1);
  return entries;
}

/** The claim as sent, then as re-sent: the same script with the same entries and owner tokens. */
async function claimTwice(entries: readonly StreamEntry[], token: string, consumer: string) {
  const sent = await workers().claimBatch(entries, () => token, consumer);
  const resent = await workers().claimBatch(entries, () => token, consumer);
  return { sent, resent };
}

async function finish(analysisId: string, entryId: string, ownerToken: string) {
  return workers().finishWithStatus([
    {
      analysisId,
      entryId,
      ownerToken,
      status: 'completed',
      result: { image_url: '/charts/x.png', llm_summary: 'ok', summary_source: 'rule-based' },
      event: progressEvent('completed', 'finished', 1, 'done'),
    },
  ]);
}

test('a re-sent claim of a queued job claims it again without putting its own run in doubt', async () => {
  const { analysisId } = await createJobQueue(redis.client, keys).enqueue(request);
  const entries = await readFresh(FIRST, analysisId);
  const token = `${FIRST}:sent-once`;
  const { sent, resent } = await claimTwice(entries, token, FIRST);
  for (const report of [sent, resent]) {
    expect(report.skipped).toEqual([]);
    expect(report.claimed).toHaveLength(1);
    expect(report.claimed[0]).toMatchObject({ ownerToken: token, record: { status: 'processing' } });
  }
  expect(await field(analysisId, 'doubted_runs')).toBeNull();
  expect(await field(analysisId, 'run_owner')).toBe(token);
  expect(await stages(analysisId)).toEqual(['queued', 'started']);
  expect(await finish(analysisId, entries[0]!.entryId, token)).toEqual(['completed']);
});

test('a re-sent takeover claims the job again: only the dead owner’s run is in doubt, and the new token finishes it', async () => {
  const { analysisId } = await createJobQueue(redis.client, keys).enqueue(request);
  await workers().claimBatch(await readFresh(FIRST, analysisId), () => `${FIRST}:dead`, FIRST);
  // FIRST died; SECOND takes the idle entry over, and its claim is re-sent.
  const taken = (await workers().takeOverIdle(SECOND, 0, 100, '0-0')).entries.filter(
    (entry) => entry.analysisId === analysisId,
  );
  expect(taken).toHaveLength(1);
  const token = `${SECOND}:sent-once`;
  const { sent, resent } = await claimTwice(taken, token, SECOND);
  expect(sent.claimed[0]?.takenOver).toBe(true);
  expect(resent.skipped).toEqual([]);
  expect(resent.claimed).toHaveLength(1);
  expect(resent.claimed[0]?.ownerToken).toBe(token);
  expect(await field(analysisId, 'doubted_runs')).toBe(`${FIRST}:dead`);
  expect(await field(analysisId, 'takeovers')).toBe('1');
  expect(await stages(analysisId)).toEqual(['queued', 'started', 'reclaimed']);
  expect(await finish(analysisId, taken[0]!.entryId, token)).toEqual(['completed']);
});
