/**
 * Stage events on a real redis-server, as a worker's jobs emit them: many in one turn (they go
 * out in one call), each job's log in the order emitted, a lost owner's event refused alone, and a
 * finish sent right behind its job's events landing after them.
 */
import { finishRequestFor } from '../../../actors/finishRequestFor.js';
import { createConsumerQueue } from '../../../storage/consumerQueue.js';
import { createJobQueue } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { createProgressLog } from '../../../storage/progressLog.js';
import { progressEvent, type ProgressStage } from '../../../storage/progressEvent.js';
import { useQueueRedis } from '../../support/redisServer.js';

const keys = createKeys();
const redis = useQueueRedis(keys);

const request = { user_id: 'alice', symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' };
const STAGES: [ProgressStage, number][] = [
  ['candles', 0.25],
  ['patterns', 0.5],
  ['chart', 0.75],
  ['summary', 0.9],
];

test("concurrent jobs' stage events land in order, a lost owner's alone refused, and each finish after its events", async () => {
  const producer = createJobQueue(redis.client, keys);
  const workers = createConsumerQueue(redis.client, keys);
  const log = createProgressLog(redis.client, keys);
  const ids = [];
  for (let index = 0; index < 3; index += 1) ids.push((await producer.enqueue(request)).analysisId);
  const blocking = redis.client.duplicate();
  try {
    const entries = await workers.readNew(blocking, 'consumer-a', 100, 100);
    const { claimed } = await workers.claimBatch(entries, (entry) => `token-${entry.analysisId}`, 'consumer-a');
    expect(claimed).toHaveLength(3);

    await redis.client.config('RESETSTAT');
    // Every event appended without waiting, stage by stage across the jobs; one with a stale owner token.
    const appended: Promise<boolean>[] = [];
    for (const [stage, fraction] of STAGES)
      for (const analysisId of ids)
        appended.push(
          workers.appendProgress(
            analysisId,
            `token-${analysisId}`,
            progressEvent('processing', stage, fraction, stage),
          ),
        );
    const stale = workers.appendProgress(ids[0]!, 'token-stale', progressEvent('processing', 'chart', 0.8, 'stale'));
    const finished = workers.finishWithStatus(
      claimed.map((job) =>
        finishRequestFor(job.record.analysis_id, job, { status: 'completed', result: { llm_summary: 'done' } }),
      ),
    );

    expect(await Promise.all(appended)).toEqual(appended.map(() => true));
    expect(await stale).toBe(false);
    expect(await finished).toEqual(['completed', 'completed', 'completed']);
    // The thirteen events of the turn in one call, sent by the finish right before itself.
    const scriptCalls = [...(await redis.client.info('commandstats')).matchAll(/cmdstat_eval(?:sha)?:calls=(\d+)/g)];
    expect(scriptCalls.reduce((sum, [, calls]) => sum + Number(calls), 0)).toBe(2);
    for (const analysisId of ids) {
      const stages = (await log.readAfter(analysisId, undefined)).map(({ event }) => event.stage);
      expect(stages).toEqual(['queued', 'started', ...STAGES.map(([stage]) => stage), 'finished']);
    }
    // After the finish, an event of the job's own owner is refused too: the job is no longer processing.
    expect(
      await workers.appendProgress(ids[1]!, `token-${ids[1]!}`, progressEvent('processing', 'summary', 0.95, 'late')),
    ).toBe(false);
  } finally {
    blocking.disconnect();
  }
});
