/**
 * The stage threads: the pattern and chart stages computed in real worker threads give what
 * the inline stages give, the PNG stage draws what Skia draws inline, an aborted job stops
 * waiting at once, and a pool's threads start with its first task.
 */
import { jest } from '@jest/globals';
import { analyzeSeries } from '../../../analysis/analyzeSeries.js';
import { renderChartSvg } from '../../../analysis/chart/renderChartSvg.js';
import { syntheticCandleSource } from '../../../integrations/marketData/syntheticCandleSource.js';
import { skiaSvgToPng } from '../../../integrations/skiaRasterizer.js';
import { inlineSmallStages } from '../../../pipeline/inlineSmallStages.js';
import { createStageThreads, type StageThreads } from '../../../pipeline/stageThreads.js';

jest.setTimeout(120_000);

let threads: StageThreads;
beforeAll(() => {
  threads = createStageThreads(1);
});
afterAll(async () => {
  await threads.close();
});

const series = () =>
  syntheticCandleSource.load({
    symbol: 'BTCUSDT',
    interval: '1h',
    timeframe: '30d',
    signal: new AbortController().signal,
  });

const threadCount = () => (process.report.getReport() as { workers: unknown[] }).workers.length;

test('a pool starts its threads with its first task, not before', async () => {
  const before = threadCount();
  const pool = createStageThreads(2);
  try {
    expect(threadCount()).toBe(before);
    await pool.patterns(await series(), new AbortController().signal);
    expect(threadCount()).toBe(before + 2);
  } finally {
    await pool.close();
  }
});

test('patterns and chart in a thread equal the inline stages; the chart is SVG alone, its PNG drawn on request', async () => {
  const candles = await series();
  const report = await threads.patterns(candles, new AbortController().signal);
  // Structured clone keeps NaN and nested arrays: the report survives the thread boundary intact.
  expect(report).toEqual(analyzeSeries(candles));
  const chart = await threads.chart(candles, report, new AbortController().signal);
  expect(chart.svg).toBe(renderChartSvg(candles, report));
  expect(chart.png).toBeUndefined();
  const png = await threads.png(chart.svg, new AbortController().signal);
  expect(Buffer.from(png).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(Buffer.from(png).equals(Buffer.from(skiaSvgToPng(chart.svg)))).toBe(true);
});

test('an aborted job stops waiting for its stage; the thread then serves the next task', async () => {
  const candles = await series();
  const controller = new AbortController();
  const aborted = threads.patterns(candles, controller.signal);
  controller.abort(new Error('job timed out'));
  await expect(aborted).rejects.toThrow('job timed out');
  await expect(threads.patterns(candles, new AbortController().signal)).resolves.toMatchObject({
    candleCount: candles.candles.length,
  });
});

test('small series run their stages inline, longer ones in the threads, with the same results', async () => {
  const candles = await series();
  const calls: string[] = [];
  // The real threads, recording which stages reach them.
  const recorded: StageThreads = {
    patterns: (s, signal) => (calls.push('patterns'), threads.patterns(s, signal)),
    chart: (s, report, signal) => (calls.push('chart'), threads.chart(s, report, signal)),
    png: (svg, signal) => threads.png(svg, signal),
    close: () => Promise.resolve(),
  };
  const signal = new AbortController().signal;
  const expected = analyzeSeries(candles);

  const inline = inlineSmallStages(recorded, candles.candles.length);
  expect(await inline.patterns(candles, signal)).toEqual(expected);
  expect((await inline.chart(candles, expected, signal)).svg).toBe(renderChartSvg(candles, expected));
  expect(calls).toEqual([]);

  const offThread = inlineSmallStages(recorded, candles.candles.length - 1);
  expect(await offThread.patterns(candles, signal)).toEqual(expected);
  expect((await offThread.chart(candles, expected, signal)).svg).toBe(renderChartSvg(candles, expected));
  expect(calls).toEqual(['patterns', 'chart']);

  const aborted = new AbortController();
  aborted.abort(new Error('job cancelled'));
  await expect(inline.patterns(candles, aborted.signal)).rejects.toThrow('job cancelled');
});
