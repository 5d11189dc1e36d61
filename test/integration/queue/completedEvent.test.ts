/**
 * A completed event carries the job's result: its data, written with the record in one finish,
 * reads back as the result itself (the event's JSON is built from the record's fields), and an
 * event whose data is not the result keeps its own data.
 */
import { finishRequestFor } from '../../../actors/finishRequestFor.js';
import { createConsumerQueue } from '../../../storage/consumerQueue.js';
import { createJobQueue } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { createProgressLog } from '../../../storage/progressLog.js';
import { progressEvent } from '../../../storage/progressEvent.js';
import { useQueueRedis } from '../../support/redisServer.js';

const keys = createKeys();
const redis = useQueueRedis(keys);

const request = { user_id: 'alice', symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' };

test("one finish batch: the completed event's data is the result; another event keeps its own data", async () => {
  const producer = createJobQueue(redis.client, keys);
  const workers = createConsumerQueue(redis.client, keys);
  const log = createProgressLog(redis.client, keys);
  const first = await producer.enqueue(request);
  const second = await producer.enqueue(request);
  const blocking = redis.client.duplicate();
  try {
    const entries = await workers.readNew(blocking, 'consumer-a', 100, 100);
    const { claimed } = await workers.claimBatch(entries, (entry) => `token-${entry.analysisId}`, 'consumer-a');
    expect(claimed).toHaveLength(2);
    const jobOf = (analysisId: string) => claimed.find((claim) => claim.record.analysis_id === analysisId)!;
    const result = {
      image_url: '/charts/a "quoted" chart.svg',
      llm_summary: 'up\nthen down',
      summary_source: 'rule-based' as const,
      analysis_data: { patterns: [{ name: 'doji', at: 3, confidence: 0.5, note: undefined }], trend: null },
    };
    const withResult = finishRequestFor(first.analysisId, jobOf(first.analysisId), { status: 'completed', result });
    const ownData = {
      ...finishRequestFor(second.analysisId, jobOf(second.analysisId), { status: 'completed', result }),
      event: progressEvent('completed', 'finished', 1, 'analysis completed', { summary: 'not the result' }),
    };
    expect(await workers.finishWithStatus([withResult, ownData])).toEqual(['completed', 'completed']);

    const terminalData = async (analysisId: string) => (await log.readAfter(analysisId, undefined)).at(-1)?.event;
    expect(await terminalData(first.analysisId)).toMatchObject({
      status: 'completed',
      data: JSON.parse(JSON.stringify(result)),
    });
    expect(await terminalData(second.analysisId)).toMatchObject({
      status: 'completed',
      data: { summary: 'not the result' },
    });
    expect(await producer.get(first.analysisId)).toMatchObject({
      status: 'completed',
      llm_summary: result.llm_summary,
      analysis_data: JSON.parse(JSON.stringify(result.analysis_data)),
    });
  } finally {
    blocking.disconnect();
  }
});
