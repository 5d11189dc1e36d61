/**
 * The immediate-analysis thread pool, run from source under ts-jest: the thread file resolves
 * through tsx's loader here (and as compiled .js under dist/, which the e2e suites use).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../config/env.js';
import { type AnalysisPool, createAnalysisPool, type PoolRefused } from '../../../router/immediate/analysisPool.js';
import { newAnalysisId } from '../../../storage/jobQueue.js';

let dataDir: string;
let pool: AnalysisPool;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'candela-pool-'));
  pool = createAnalysisPool({
    size: 2,
    config: loadConfig({ DATA_DIR: dataDir, MARKET_DATA_PROVIDER: 'synthetic' }),
    timeoutMs: 30_000,
    maxWaiting: 3,
  });
});
afterAll(async () => {
  await pool.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('runs the job stages in a thread: analysis_data, a rule-based summary, and the chart files', async () => {
  const analysisId = newAnalysisId();
  const outcome = await pool.run({ analysisId, symbol: 'BTCUSDT', interval: '1h', timeframe: '30d' });
  expect(outcome).toMatchObject({
    imageUrl: `/charts/${analysisId}.png`,
    summarySource: 'rule-based',
    analysisData: { candle_count: 720, synthetic: true, symbol: 'BTCUSDT' },
  });
  // Immediate charts have a directory of their own, which the API's reaper sweeps.
  expect(readdirSync(path.join(dataDir, 'charts', 'immediate')).sort()).toEqual([
    `${analysisId}.png`,
    `${analysisId}.svg`,
  ]);
});

test('more tasks than threads wait their turn; past the wait line they are refused as busy', async () => {
  const task = () => pool.run({ analysisId: newAnalysisId(), symbol: 'ETHUSDT', interval: '1h', timeframe: '7d' });
  const results = await Promise.allSettled(Array.from({ length: 7 }, task));
  expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
  const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  expect(refused.map((result) => (result.reason as PoolRefused).reason)).toEqual(['busy', 'busy']);
});

test('a task that outlives the timeout is refused and its thread replaced', async () => {
  const slow = createAnalysisPool({
    size: 1,
    config: loadConfig({ DATA_DIR: dataDir, MARKET_DATA_PROVIDER: 'synthetic' }),
    timeoutMs: 1,
    maxWaiting: 1,
  });
  try {
    await expect(
      slow.run({ analysisId: newAnalysisId(), symbol: 'BTCUSDT', interval: '1m', timeframe: '30d' }),
    ).rejects.toMatchObject({ reason: 'timeout' });
  } finally {
    await slow.close();
  }
});
