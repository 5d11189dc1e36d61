/**
 * The market-data circuit breaker end to end: worker A's Binance fails, worker B's works.
 * A opens its circuit after five consecutive failures and stops pulling while B completes
 * the jobs; after the (shortened) reset timeout A is half-open, its trial job succeeds once
 * its Binance recovers, and the circuit closes. Metrics and the log show every change.
 */
import { jest } from '@jest/globals';
import { type BinanceStub, startBinanceStub } from '../../support/binanceStub.js';
import { type OpenAiStub, startOpenAiStub } from '../../support/openaiStub.js';
import { type CandelaProcess, eventually, stopCandela } from '../../support/candelaProcess.js';
import {
  enqueue,
  eventsOf,
  type Harness,
  jobOf,
  logLines,
  startHarness,
  startWorker,
  stopHarness,
  waitForStatus,
  workerEnv,
} from './failureHarness.js';

jest.setTimeout(120_000);

const RESET_MS = 5_000;
let harness: Harness;
let failing: BinanceStub;
let healthy: BinanceStub;

beforeAll(async () => {
  harness = await startHarness();
  [failing, healthy] = await Promise.all([startBinanceStub(), startBinanceStub()]);
});
afterAll(async () => {
  await stopHarness(harness);
  await Promise.all([failing.close(), healthy.close()]);
});

const circuitLog = (worker: CandelaProcess) =>
  logLines(worker).filter((line) => line.dependency === 'market-data' && /circuit breaker/.test(line.msg));

async function metricsOf(worker: CandelaProcess): Promise<Record<string, string>> {
  const [key] = await harness.redis.client.keys(`worker_metrics:analysis-workers:*-${worker.child.pid}`);
  return key ? harness.redis.client.hgetall(key) : {};
}

type Registration = { circuit_breaker_state: string; circuits: Record<string, string> };

async function registrationOf(worker: CandelaProcess): Promise<Registration> {
  const [key] = await harness.redis.client.keys(`workers:analysis-workers:*-${worker.child.pid}`);
  return JSON.parse((await harness.redis.client.get(key!))!) as Registration;
}

test('opens after five consecutive failures, stops pulling while another worker completes the jobs, half-opens after the reset time, closes on success', async () => {
  // Retries and timeouts are not under test here: generous budgets keep a loaded machine
  // (A's half-open trials taking retries of the first jobs, slow runs) from dead-lettering a job.
  const env = (binanceUrl: string) =>
    workerEnv(harness, binanceUrl, {
      ANALYSIS_CIRCUIT_RESET_TIMEOUT: String(RESET_MS / 1000),
      ANALYSIS_CIRCUIT_FAILURE_THRESHOLD: '5',
      ANALYSIS_MAX_RETRIES: '20',
      ANALYSIS_JOB_TIMEOUT: '20',
    });
  failing.setMode('error-500');
  const a = await startWorker(harness, env(failing.baseUrl));
  const first = await Promise.all(
    ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'XRPUSDT'].map((symbol) => enqueue(harness, symbol)),
  );

  const opened = await eventually(
    async () => circuitLog(a).find((line) => line.to === 'open'),
    15_000,
    'A to open its market-data circuit',
  );
  expect(opened).toMatchObject({ from: 'closed', consecutiveFailures: 5 });
  expect(failing.requests()).toHaveLength(5);
  await eventually(
    async () => ((await metricsOf(a)).circuit_breaker_state === 'open' ? true : undefined),
    5_000,
    'A metrics to show open',
  );
  expect((await registrationOf(a)).circuits).toEqual({ 'market-data': 'open', llm: 'closed', store: 'closed' });

  // B takes the retries of A's jobs and new ones; A, open, pulls nothing until it half-opens.
  const b = await startWorker(harness, env(healthy.baseUrl));
  const second = await Promise.all(['ADAUSDT', 'DOTUSDT', 'TRXUSDT'].map((symbol) => enqueue(harness, symbol)));
  for (const id of [...first, ...second]) await waitForStatus(harness, id, 'completed', 30_000);

  const halfOpen = await eventually(
    async () => circuitLog(a).find((line) => line.to === 'half-open'),
    RESET_MS + 30_000,
    'A to half-open',
  );
  expect(halfOpen.time - opened.time).toBeGreaterThanOrEqual(RESET_MS - 50);
  expect(failing.requests().filter((request) => request.at < halfOpen.time)).toHaveLength(5);
  for (const id of second) {
    const startedWhileOpen = (await eventsOf(harness, id)).filter(
      (event) => event.stage === 'started' && event.at < halfOpen.time,
    );
    expect(startedWhileOpen.every((event) => event.message.includes(`-${b.child.pid}-c0`))).toBe(true);
  }

  failing.setMode('ok');
  // Keep jobs coming until A's trial job takes one and succeeds (a trial taken before the
  // recovery fails and opens the circuit again for another reset timeout).
  const closed = await eventually(
    async () => {
      await enqueue(harness, 'LTCUSDT');
      return circuitLog(a).find((line) => line.to === 'closed');
    },
    2 * RESET_MS + 20_000,
    'A to close its circuit',
  );
  expect(closed).toMatchObject({ from: 'half-open' });
  expect(
    circuitLog(a)
      .map((line) => line.to)
      .join(','),
  ).toMatch(/^open,half-open(,open,half-open)*,closed$/);
  await eventually(
    async () => ((await metricsOf(a)).circuit_breaker_state === 'closed' ? true : undefined),
    5_000,
    'A metrics to show closed',
  );
  expect(await metricsOf(b)).toMatchObject({ circuit_breaker_state: 'closed' });
});

test('while the LLM circuit is open, summaries are written by the rule-based writer without calling the LLM', async () => {
  // Alone: the workers of the first test have no LLM.
  await stopCandela(harness.processes.splice(0), 'SIGTERM');
  const openai: OpenAiStub = await startOpenAiStub();
  try {
    openai.setMode('error-500');
    const worker = await startWorker(
      harness,
      workerEnv(harness, healthy.baseUrl, {
        OPENAI_BASE_URL: openai.baseUrl,
        OPENAI_API_KEY: 'dummy',
        ANALYSIS_CIRCUIT_FAILURE_THRESHOLD: '2',
        ANALYSIS_CIRCUIT_RESET_TIMEOUT: '60',
        ANALYSIS_JOB_TIMEOUT: '20',
      }),
    );
    for (const symbol of ['AAVEUSDT', 'UNIUSDT']) {
      const job = await waitForStatus(harness, await enqueue(harness, symbol), 'completed', 20_000);
      expect(job.summary_source).toBe('rule-based');
    }
    await eventually(
      async () => logLines(worker).find((line) => line.dependency === 'llm' && line.to === 'open'),
      5_000,
      'the LLM circuit to open',
    );
    const callsWhenOpened = openai.requests().length;
    openai.setMode('ok');
    const job = await waitForStatus(harness, await enqueue(harness, 'LINKUSDT'), 'completed', 20_000);
    expect(job.summary_source).toBe('rule-based');
    expect(openai.requests()).toHaveLength(callsWhenOpened);
    expect((await jobOf(harness, job.analysis_id)).llm_summary).not.toMatch(/stub LLM/);
  } finally {
    await openai.close();
  }
});
