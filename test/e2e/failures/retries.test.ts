/**
 * Retries end to end: real worker processes on a real redis-server against a local Binance
 * server that fails, hangs or recovers on command. (The circuit threshold is raised here so
 * that these failures test retries alone; circuit.test.ts tests the breaker.)
 */
import { jest } from '@jest/globals';
import { createDeadLetters } from '../../../storage/deadLetters.js';
import { type BinanceStub, startBinanceStub } from '../../support/binanceStub.js';
import { eventually, startCandela } from '../../support/candelaProcess.js';
import {
  enqueue,
  eventsOf,
  type Harness,
  historyOf,
  jobOf,
  keys,
  startHarness,
  startWorker,
  stopHarness,
  terminalEvents,
  waitForStatus,
  workerEnv,
} from './failureHarness.js';

jest.setTimeout(60_000);

let harness: Harness;
let binance: BinanceStub;
const isolatedFromCircuit = { ANALYSIS_CIRCUIT_FAILURE_THRESHOLD: '1000' };

beforeEach(async () => {
  harness = await startHarness();
  binance = await startBinanceStub();
});
afterEach(async () => {
  await stopHarness(harness);
  await binance.close();
});

test('transient failures (5xx, 429): retried with growing delays, then completed', async () => {
  const base = 200;
  await startWorker(
    harness,
    workerEnv(harness, binance.baseUrl, { ...isolatedFromCircuit, ANALYSIS_RETRY_BASE_MS: String(base) }),
  );
  binance.failNext('BTCUSDT', 2, 'error-500');
  binance.failNext('BTCUSDT', 1, 'rate-limited');
  const id = await enqueue(harness, 'BTCUSDT');

  const job = await waitForStatus(harness, id, 'completed');
  expect(job).toMatchObject({ attempts: 3, summary_source: 'rule-based' });
  const history = await historyOf(harness, id);
  expect(history.map((attempt) => attempt.error)).toEqual([
    expect.stringMatching(/HTTP 500/),
    expect.stringMatching(/HTTP 500/),
    expect.stringMatching(/rate-limited/),
  ]);
  expect(history.every((attempt) => /-c0$/.test(attempt.node))).toBe(true);

  // Gaps between the attempts (Binance requests) follow the backoff: at least half the
  // doubling window each (equal jitter), 1 s for the 429's Retry-After, and growing.
  const times = binance.requests('BTCUSDT').map((request) => request.at);
  expect(times).toHaveLength(4);
  const gaps = times.slice(1).map((time, index) => time - times[index]!);
  expect(gaps[0]).toBeGreaterThanOrEqual(base / 2);
  expect(gaps[1]).toBeGreaterThanOrEqual(base);
  expect(gaps[2]).toBeGreaterThanOrEqual(1000);
  // Equal jitter lets the first two delays meet at `base`; the scheduler polls every base / 4 and
  // each attempt's own work varies, so "growing" holds within that much.
  expect(gaps[1]).toBeGreaterThan(gaps[0]! - base / 2);
  expect(gaps[2]).toBeGreaterThan(gaps[1]!);
  expect(history[1]!.at - history[0]!.at).toBeGreaterThanOrEqual(base / 2);
  expect((await eventsOf(harness, id)).filter((event) => event.stage === 'retrying')).toHaveLength(3);
  expect(await terminalEvents(harness, id)).toHaveLength(1);
});

test('a permanent failure (unknown symbol): failed at once with its error, never retried', async () => {
  await startWorker(harness, workerEnv(harness, binance.baseUrl, isolatedFromCircuit));
  binance.setMode('invalid-symbol', 'NOSUCHCOIN');
  const id = await enqueue(harness, 'NOSUCHCOIN');

  const job = await waitForStatus(harness, id, 'failed');
  expect(job).toMatchObject({ attempts: 0, error: expect.stringMatching(/does not know the symbol NOSUCHCOIN/) });
  // Acknowledged with the terminal write, so no consumer can be handed the entry again.
  const entryId = await harness.redis.client.hget(keys.job(id), 'entry_id');
  expect(await harness.redis.client.xpending(keys.stream, keys.group, entryId!, entryId!, 1)).toEqual([]);
  expect(binance.requests('NOSUCHCOIN')).toHaveLength(1);
  expect(await harness.redis.client.zscore(keys.retrySchedule(), id)).toBeNull();
  expect(await createDeadLetters(harness.redis.client, keys).list()).toEqual([]);
});

test('a failure that never clears: three retries, the dead-letter stream with the full history; `candela dlq replay` after it clears completes the job', async () => {
  const env = workerEnv(harness, binance.baseUrl, isolatedFromCircuit);
  await startWorker(harness, env);
  binance.setMode('error-500', 'DOWNUSDT');
  const id = await enqueue(harness, 'DOWNUSDT');

  const failed = await waitForStatus(harness, id, 'failed');
  expect(failed).toMatchObject({ attempts: 3, error: expect.stringMatching(/HTTP 500/) });
  expect(binance.requests('DOWNUSDT')).toHaveLength(4);
  const [letter, ...others] = await createDeadLetters(harness.redis.client, keys).list();
  expect(others).toEqual([]);
  expect(letter).toMatchObject({
    analysis_id: id,
    attempts: 3,
    error: expect.stringMatching(/HTTP 500/),
    job: { status: 'failed' },
  });
  expect(letter!.history).toHaveLength(4);

  const listed = startCandela(['dlq', 'list'], env);
  expect(await listed.exited).toBe(0);
  expect(listed.output()).toContain(id);

  binance.setMode('ok', 'DOWNUSDT');
  const replay = startCandela(['dlq', 'replay', id], env);
  expect(await replay.exited).toBe(0);
  const completed = await waitForStatus(harness, id, 'completed');
  expect(completed.attempts).toBe(0);
  expect(await historyOf(harness, id)).toHaveLength(4);
  expect(await createDeadLetters(harness.redis.client, keys).list()).toEqual([]);
});

test('a worker killed with SIGKILL while a retry waits: the retry still happens, on another worker', async () => {
  const slowRetries = workerEnv(harness, binance.baseUrl, { ...isolatedFromCircuit, ANALYSIS_RETRY_BASE_MS: '3000' });
  const first = await startWorker(harness, slowRetries);
  binance.failNext('ETHUSDT', 1, 'error-500');
  const id = await enqueue(harness, 'ETHUSDT');
  await eventually(
    async () => {
      const job = await jobOf(harness, id);
      return job.status === 'queued' && job.attempts === 1 ? job : undefined;
    },
    10_000,
    'the retry to be scheduled',
  );
  first.kill('SIGKILL');
  await first.exited;
  expect(await harness.redis.client.zscore(keys.retrySchedule(), id)).not.toBeNull();

  const second = await startWorker(harness, slowRetries);
  await waitForStatus(harness, id, 'completed', 20_000);
  const [attempt] = await historyOf(harness, id);
  expect(attempt!.node).toContain(`-${first.child.pid}-c0`);
  expect((await eventsOf(harness, id)).some((event) => event.message.includes(`-${second.child.pid}-c0`))).toBe(true);
});

test('a job that exceeds ANALYSIS_JOB_TIMEOUT is aborted and retried', async () => {
  await startWorker(
    harness,
    // Long enough that the healthy retry finishes inside it on a saturated machine too.
    workerEnv(harness, binance.baseUrl, { ...isolatedFromCircuit, ANALYSIS_JOB_TIMEOUT: '3' }),
  );
  binance.failNext('SOLUSDT', 1, 'hang');
  const id = await enqueue(harness, 'SOLUSDT');

  const job = await waitForStatus(harness, id, 'completed', 20_000);
  expect(job.attempts).toBe(1);
  const [attempt] = await historyOf(harness, id);
  expect(attempt!.error).toMatch(/timed out after 3 s/);
  const [hung, retried] = binance.requests('SOLUSDT');
  // The timeout counts from the job's start, a little before the hung request left, so the gap
  // between the two requests is not a measure of it; the order is: hang, failure, retry.
  expect(hung!.at).toBeLessThanOrEqual(attempt!.at);
  expect(retried!.at).toBeGreaterThanOrEqual(attempt!.at);
});
