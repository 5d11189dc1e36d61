/**
 * A slow but live owner is not a poison message: a worker process frozen (SIGSTOP) for longer
 * than the claim timeout, a stall no timer inside it can outrun, has its job taken over; woken
 * up (SIGCONT) it finds the claim lost and says so. Taken over more often than
 * ANALYSIS_MAX_DELIVERIES this way, the job still completes. Real worker processes, a real
 * redis-server, a local Binance stand-in.
 */
import { jest } from '@jest/globals';
import { createDeadLetters } from '../../../storage/deadLetters.js';
import { type BinanceStub, startBinanceStub } from '../../support/binanceStub.js';
import { type CandelaProcess, eventually } from '../../support/candelaProcess.js';
import {
  enqueue,
  type Harness,
  keys,
  startHarness,
  startWorker,
  stopHarness,
  terminalEvents,
  waitForStatus,
  workerEnv,
} from './failureHarness.js';

jest.setTimeout(300_000);

let harness: Harness;
let binance: BinanceStub;
const frozen = new Set<CandelaProcess>();

beforeEach(async () => {
  harness = await startHarness();
  binance = await startBinanceStub();
});
afterEach(async () => {
  for (const worker of frozen) worker.kill('SIGCONT');
  await stopHarness(harness);
  await binance.close();
});

const ownerOf = async (analysisId: string) => (await harness.redis.client.hget(keys.job(analysisId), 'owner')) ?? '';

test('a job whose owner stalls past the claim timeout, again and again, is taken over but never dead-lettered', async () => {
  // Each run hangs in the candle fetch, so the job is always running when its owner freezes.
  binance.setMode('hang', 'SLOWUSDT');
  const env = workerEnv(harness, binance.baseUrl, {
    // Two runs that die with their worker would dead-letter it; three takeovers counted so before.
    // (At the moment of a takeover the frozen owner has not spoken yet, so its run is in doubt:
    // a limit of 1 would dead-letter it at once.)
    ANALYSIS_MAX_DELIVERIES: '2',
    ANALYSIS_CLAIM_TIMEOUT: '2',
    ANALYSIS_JOB_TIMEOUT: '20',
  });
  const workers = [await startWorker(harness, env), await startWorker(harness, env)];
  const workerOf = (owner: string) => workers.find((worker) => owner.includes(`-${worker.child.pid}-c`));
  const id = await enqueue(harness, 'SLOWUSDT');
  let owner = await eventually(async () => (await ownerOf(id)) || undefined, 60_000, 'a first owner');

  const stalls = 3;
  for (let stall = 1; stall <= stalls; stall += 1) {
    const stalled = workerOf(owner)!;
    expect(stalled).toBeDefined();
    stalled.kill('SIGSTOP');
    frozen.add(stalled);
    const previous = owner;
    owner = await eventually(
      async () => {
        const now = await ownerOf(id);
        return now && now !== previous ? now : undefined;
      },
      60_000,
      `the takeover after stall ${stall}`,
    );
    expect(workerOf(owner)).not.toBe(stalled);
    stalled.kill('SIGCONT');
    frozen.delete(stalled);
    // Awake, the stalled worker refreshes its claim, finds it lost, and withdraws its run from doubt.
    await eventually(
      async () => ((await harness.redis.client.hget(keys.job(id), 'doubted_runs')) === null ? true : undefined),
      60_000,
      `the stalled owner ${stall} to show itself alive`,
    );
  }
  expect(Number(await harness.redis.client.hget(keys.job(id), 'takeovers'))).toBeGreaterThanOrEqual(stalls);

  // The market comes back: the hanging run times out, is retried, and completes.
  binance.setMode('ok', 'SLOWUSDT');
  const job = await waitForStatus(harness, id, 'completed', 120_000);
  expect(job.error).toBeNull();
  expect((await terminalEvents(harness, id)).map((event) => event.status)).toEqual(['completed']);
  expect(await createDeadLetters(harness.redis.client, keys).list()).toEqual([]);
});
