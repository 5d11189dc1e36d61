/**
 * Immediate charts do not stay in DATA_DIR for good: an immediate analysis writes its chart
 * to the immediate directory, the API serves it from there while its link lives, and the
 * reaper removes it once the link has expired; a job's chart is never touched.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import pino from 'pino';
import { loadConfig } from '../../../config/env.js';
import { type AnalysisPool, createAnalysisPool } from '../../../router/immediate/analysisPool.js';
import { startImmediateChartReaper } from '../../../router/immediate/immediateChartReaper.js';
import { chartDirectory, immediateChartDirectory } from '../../../storage/charts/chartDirectories.js';
import { createFileChartStore } from '../../../storage/charts/fileChartStore.js';
import { readThroughChartStore } from '../../../storage/charts/readThroughChartStore.js';
import { removeOldCharts } from '../../../storage/charts/removeOldCharts.js';
import { newAnalysisId } from '../../../storage/jobQueue.js';
import { eventually } from '../../support/candelaProcess.js';

jest.setTimeout(120_000);

let dataDir: string;
let pool: AnalysisPool;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'candela-chart-expiry-'));
  pool = createAnalysisPool({
    size: 1,
    config: loadConfig({ DATA_DIR: dataDir, MARKET_DATA_PROVIDER: 'synthetic' }),
    timeoutMs: 60_000,
    maxWaiting: 3,
  });
});
afterAll(async () => {
  await pool.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('only files older than the lifetime go: fresh charts and other files stay', async () => {
  const directory = path.join(dataDir, 'sweep');
  mkdirSync(directory, { recursive: true });
  const hourAgo = (Date.now() - 3_600_000) / 1000;
  for (const name of ['old.png', 'old.svg', 'old.png.1.2.tmp', 'fresh.png', 'notes.txt']) {
    writeFileSync(path.join(directory, name), 'x');
    if (name !== 'fresh.png') utimesSync(path.join(directory, name), hourAgo, hourAgo);
  }
  expect(await removeOldCharts(directory, 60_000)).toBe(3);
  expect(readdirSync(directory).sort()).toEqual(['fresh.png', 'notes.txt']);
  expect(await removeOldCharts(path.join(dataDir, 'no-such-directory'), 60_000)).toBe(0);
});

test('an immediate chart is served while its link lives and removed once it expired; job charts stay', async () => {
  const analysisId = newAnalysisId();
  const outcome = await pool.run({ analysisId, symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' });
  expect(outcome.imageUrl).toBe(`/charts/${analysisId}.png`);
  const jobCharts = createFileChartStore(chartDirectory(dataDir));
  const jobId = newAnalysisId();
  await jobCharts.save(jobId, { svg: '<svg/>', png: new Uint8Array([1, 2, 3]) });
  // What the API's chart route reads from: job charts, then immediate ones.
  const served = readThroughChartStore(jobCharts, createFileChartStore(immediateChartDirectory(dataDir)));
  expect((await served.read(analysisId, 'png'))?.subarray(1, 4).toString()).toBe('PNG');

  // A link lifetime the charts have outlived (the reaper adds a minute's margin): backdate them.
  const longAgo = (Date.now() - 10 * 60_000) / 1000;
  for (const name of readdirSync(immediateChartDirectory(dataDir)))
    utimesSync(path.join(immediateChartDirectory(dataDir), name), longAgo, longAgo);
  utimesSync(path.join(chartDirectory(dataDir), `${jobId}.png`), longAgo, longAgo);
  const reaper = startImmediateChartReaper({
    directory: immediateChartDirectory(dataDir),
    linkTtlMs: 1000,
    intervalMs: 50,
    log: pino({ level: 'silent' }),
  });
  try {
    await eventually(
      async () => (existsSync(path.join(immediateChartDirectory(dataDir), `${analysisId}.png`)) ? undefined : true),
      30_000,
      'the expired immediate chart to be removed',
    );
  } finally {
    await reaper.stop();
  }
  expect(readdirSync(immediateChartDirectory(dataDir))).toEqual([]);
  expect(await served.read(analysisId, 'png')).toBeUndefined();
  expect(await served.read(jobId, 'png')).toEqual(Buffer.from([1, 2, 3]));
});
