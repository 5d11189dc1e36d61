/**
 * Cancelling a running job (while its LLM call hangs) and a poison entry, end to end: real
 * worker processes, a real redis-server, local Binance and OpenAI servers.
 */
import { jest } from '@jest/globals';
import { createDeadLetters } from '../../../storage/deadLetters.js';
import { type BinanceStub, startBinanceStub } from '../../support/binanceStub.js';
import { eventually } from '../../support/candelaProcess.js';
import { type OpenAiStub, startOpenAiStub } from '../../support/openaiStub.js';
import {
  enqueue,
  type Harness,
  historyOf,
  keys,
  startHarness,
  startWorker,
  stopHarness,
  terminalEvents,
  waitForStatus,
  workerEnv,
} from './failureHarness.js';

jest.setTimeout(180_000);

const JOB_TIMEOUT_MS = 8_000;

let harness: Harness;
let binance: BinanceStub;
let openai: OpenAiStub;

beforeEach(async () => {
  harness = await startHarness();
  binance = await startBinanceStub();
  openai = await startOpenAiStub();
});
afterEach(async () => {
  await stopHarness(harness);
  await Promise.all([binance.close(), openai.close()]);
});

/** What the API's cancel route (cancelJob.lua) does for a processing job: flag it, then publish its id. */
async function requestCancel(analysisId: string): Promise<void> {
  await harness.redis.client.hset(keys.job(analysisId), 'cancel_requested', 1);
  await harness.redis.client.publish(keys.cancelChannel(), JSON.stringify({ analysis_id: analysisId }));
}

test('cancel while the LLM call hangs: cancelled by the signal (well before the job timeout), acknowledged, and it stays cancelled', async () => {
  await startWorker(
    harness,
    workerEnv(harness, binance.baseUrl, {
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_API_KEY: 'dummy',
      // Long enough that a loaded machine cannot reach it before the cancel does: a timeout would retry the job.
      ANALYSIS_JOB_TIMEOUT: String(JOB_TIMEOUT_MS / 1000),
    }),
  );
  openai.setMode('hang');
  const id = await enqueue(harness, 'BTCUSDT');
  await eventually(async () => (openai.requests().length > 0 ? true : undefined), 15_000, 'the LLM call to start');

  const requestedAt = Date.now();
  await requestCancel(id);
  const job = await waitForStatus(harness, id, 'cancelled', 5_000);
  expect(Date.now() - requestedAt).toBeLessThan(JOB_TIMEOUT_MS);
  expect(job.llm_summary).toBeNull();
  // The signal reached the LLM call: its request was dropped by the client.
  await eventually(
    async () => (openai.abortedRequests() > 0 ? true : undefined),
    5_000,
    'the hanging LLM request to be aborted',
  );

  const entryId = await harness.redis.client.hget(keys.job(id), 'entry_id');
  expect(await harness.redis.client.xpending(keys.stream, keys.group, entryId!, entryId!, 1)).toEqual([]);
  // Past the job timeout and a claim timeout: never retried, never completed.
  await new Promise((resolve) => setTimeout(resolve, JOB_TIMEOUT_MS + 500 - (Date.now() - requestedAt)));
  expect(await waitForStatus(harness, id, 'cancelled', 1_000)).toMatchObject({ attempts: 0 });
  expect((await terminalEvents(harness, id)).map((event) => event.status)).toEqual(['cancelled']);
  expect(await harness.redis.client.zscore(keys.retrySchedule(), id)).toBeNull();
  expect(openai.requests()).toHaveLength(1);
});

test('a poison entry, whose runs killed their worker ANALYSIS_MAX_DELIVERIES times, is dead-lettered instead of run again', async () => {
  // Each delivery hangs its worker in the candle fetch until the worker is killed.
  binance.setMode('hang', 'POISONUSDT');
  const env = workerEnv(harness, binance.baseUrl, {
    ANALYSIS_MAX_DELIVERIES: '2',
    ANALYSIS_JOB_TIMEOUT: '60',
    ANALYSIS_CLAIM_TIMEOUT: '2',
  });
  const id = await enqueue(harness, 'POISONUSDT');
  for (let delivery = 1; delivery <= 2; delivery += 1) {
    const worker = await startWorker(harness, env);
    await eventually(
      async () => (binance.requests('POISONUSDT').length >= delivery ? true : undefined),
      // A saturated machine starts a worker slowly, and its first reclaim sweep comes a claim timeout later.
      60_000,
      `delivery ${delivery}`,
    );
    worker.kill('SIGKILL');
    await worker.exited;
  }
  await startWorker(harness, env);

  const job = await waitForStatus(harness, id, 'failed', 60_000);
  // Both runs died with their worker; a takeover of a slow but live owner would not count. Never a third run.
  expect(job.error).toMatch(/poison message: its worker died while running it 2 times/);
  expect(binance.requests('POISONUSDT')).toHaveLength(2);
  const letters = await createDeadLetters(harness.redis.client, keys).list();
  expect(letters.map((letter) => letter.analysis_id)).toEqual([id]);
  expect((await historyOf(harness, id)).at(-1)?.error).toMatch(/poison/);
});
