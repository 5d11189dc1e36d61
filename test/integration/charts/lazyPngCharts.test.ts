/**
 * PNGs drawn on first request: a job's chart is stored as SVG alone; the first read of its
 * PNG draws it (here through the API's real drawing threads), stores it, and later reads,
 * concurrent ones and those after a restart (a new store over the same directory) serve the
 * stored file without drawing again.
 */
import { jest } from '@jest/globals';
import { mkdtemp, readFile, rm, stat, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { analyzeSeries } from '../../../analysis/analyzeSeries.js';
import { renderChartSvg } from '../../../analysis/chart/renderChartSvg.js';
import { syntheticCandleSource } from '../../../integrations/marketData/syntheticCandleSource.js';
import { lazyPngCharts, type PngDrawer } from '../../../router/charts/lazyPngCharts.js';
import { createPngThreads, type PngThreads } from '../../../router/charts/pngThreads.js';
import { createFileChartStore } from '../../../storage/charts/fileChartStore.js';

jest.setTimeout(120_000);

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let directory: string;
let threads: PngThreads;
let svg: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'candela-lazy-png-'));
  threads = createPngThreads();
  const series = await syntheticCandleSource.load({
    symbol: 'BTCUSDT',
    interval: '1h',
    timeframe: '7d',
    signal: new AbortController().signal,
  });
  svg = renderChartSvg(series, analyzeSeries(series));
});

afterAll(async () => {
  await threads.close();
  await rm(directory, { recursive: true, force: true });
});

/** The real drawing threads, counting how often they are asked. */
function countingDrawer(): { draw: PngDrawer; calls: () => number } {
  let calls = 0;
  return {
    draw: (chartSvg) => {
      calls += 1;
      return threads.draw(chartSvg);
    },
    calls: () => calls,
  };
}

test('the first PNG read draws it from the stored SVG and stores it; the second serves the stored file', async () => {
  const files = createFileChartStore(directory);
  const drawer = countingDrawer();
  const charts = lazyPngCharts(files, drawer.draw);
  await charts.save('analysis_lazy_1', { svg });
  expect(await files.read('analysis_lazy_1', 'png')).toBeUndefined();

  const first = await charts.read('analysis_lazy_1', 'png');
  expect(first?.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(drawer.calls()).toBe(1);
  // Stored: the file on disk is the image that was answered.
  expect((await readFile(path.join(directory, 'analysis_lazy_1.png'))).equals(first!)).toBe(true);

  const second = await charts.read('analysis_lazy_1', 'png');
  expect(second!.equals(first!)).toBe(true);
  expect(drawer.calls()).toBe(1);
  expect((await charts.read('analysis_lazy_1', 'svg'))?.toString('utf8')).toBe(svg);
});

test('concurrent first reads draw the PNG once and all get it', async () => {
  const drawer = countingDrawer();
  const charts = lazyPngCharts(createFileChartStore(directory), drawer.draw);
  await charts.save('analysis_lazy_2', { svg });
  const reads = await Promise.all(Array.from({ length: 8 }, () => charts.read('analysis_lazy_2', 'png')));
  expect(drawer.calls()).toBe(1);
  for (const png of reads) expect(png!.equals(reads[0]!)).toBe(true);
  expect(reads[0]!.subarray(0, 8)).toEqual(PNG_SIGNATURE);
});

test('a PNG drawn before a restart is served from the store by a new node without drawing', async () => {
  await lazyPngCharts(createFileChartStore(directory), countingDrawer().draw).save('analysis_lazy_3', { svg });
  const before = await lazyPngCharts(createFileChartStore(directory), threads.draw).read('analysis_lazy_3', 'png');
  const written = (await stat(path.join(directory, 'analysis_lazy_3.png'))).mtimeMs;

  const drawer = countingDrawer();
  const after = await lazyPngCharts(createFileChartStore(directory), drawer.draw).read('analysis_lazy_3', 'png');
  expect(after!.equals(before!)).toBe(true);
  expect(drawer.calls()).toBe(0);
  expect((await stat(path.join(directory, 'analysis_lazy_3.png'))).mtimeMs).toBe(written);
});

test('no chart at all reads as undefined and draws nothing; a failed drawing fails the read and the next one retries', async () => {
  const drawer = countingDrawer();
  const charts = lazyPngCharts(createFileChartStore(directory), drawer.draw);
  expect(await charts.read('analysis_lazy_missing', 'png')).toBeUndefined();
  expect(await charts.read('analysis_lazy_missing', 'svg')).toBeUndefined();
  expect(drawer.calls()).toBe(0);

  let failures = 1;
  const flaky = lazyPngCharts(createFileChartStore(directory), (chartSvg) =>
    failures-- > 0 ? Promise.reject(new Error('drawing failed')) : drawer.draw(chartSvg),
  );
  await flaky.save('analysis_lazy_4', { svg });
  await expect(flaky.read('analysis_lazy_4', 'png')).rejects.toThrow('drawing failed');
  expect(await createFileChartStore(directory).read('analysis_lazy_4', 'png')).toBeUndefined();
  expect((await flaky.read('analysis_lazy_4', 'png'))?.subarray(0, 8)).toEqual(PNG_SIGNATURE);
});

test('a PNG drawn days after its job ended keeps the chart as old as the job, so it expires with it', async () => {
  const files = createFileChartStore(directory);
  const charts = lazyPngCharts(files, countingDrawer().draw);
  await charts.save('analysis_lazy_aged', { svg });
  const svgFile = path.join(directory, 'analysis_lazy_aged.svg');
  const ended = new Date(Date.now() - 6 * 24 * 3600 * 1000);
  await utimes(svgFile, ended, ended);

  expect((await charts.read('analysis_lazy_aged', 'png'))?.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  const svgAge = (await stat(svgFile)).mtimeMs;
  const pngAge = (await stat(path.join(directory, 'analysis_lazy_aged.png'))).mtimeMs;
  expect(Math.abs(svgAge - ended.getTime())).toBeLessThan(1000);
  expect(Math.abs(pngAge - ended.getTime())).toBeLessThan(1000);
});
