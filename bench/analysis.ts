/**
 * Analysis pipeline benchmark: one JSON line per size with milliseconds per stage (median of
 * the measured runs after a warm-up) and the process's peak RSS. Candles come from the
 * synthetic source (in memory, so the figure is generation, not I/O).
 * Targets: a job's analysis ≤ 5 ms at 168 candles and ≤ 30 ms at 10,000, median of 60 runs;
 * a worker's RSS after 1,500 analyses ≤ 150 MB and flat (bench/analysisRss.ts, in a process
 * of its own).
 * `total_ms` is what a worker's job computes, stage by stage as it runs them: the candles, the
 * analysis (analyzeSeries: indicators, candle context, candlestick and chart patterns, hit
 * rates), the SVG, the rule-based summary and analysis_data. The `analysis.*` stages break the
 * analysis down, each part timed once more on its own (not added to the total). The API draws
 * the PNG on the chart's first request, so `png_first_request_ms` is what that first request
 * costs (drawing `png_draw_ms` + encoding `png_encode_ms`, timed in a loop of their own after
 * the jobs'), and `total_with_png_ms` the two medians added, as one analysis cost before the
 * PNG became lazy.
 * Per size, a comparison line: the chart as SVG + PNG three ways in the same run — ours
 * (SVG string → Skia canvas), the same SVG through resvg (what we did before), and d3-node
 * (jsdom + d3 selections, rasterised with resvg) — and the ratio to ours.
 * A last line times candlestick detection alone (candle context with its trailing averages,
 * then all 61 TA-Lib patterns) over 10,000 candles: target ≤ 15 ms.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { analyzeSeries } from '../analysis/analyzeSeries.js';
import type { CandleSeries } from '../analysis/candles.js';
import { renderChartSvg } from '../analysis/chart/renderChartSvg.js';
import { svgToPng } from '../integrations/chartRasterizer.js';
import { drawChartPixels, skiaSvgToPng } from '../integrations/skiaRasterizer.js';
import { encodePng } from '../integrations/encodePng.js';
import { detectChartPatterns } from '../analysis/chartPatterns/detectChartPatterns.js';
import { computeIndicators } from '../analysis/indicators/computeIndicators.js';
import { buildCandleContext } from '../analysis/patterns/candleContext.js';
import { PATTERN_SPECS } from '../analysis/patterns/candlestickCatalog.js';
import { detectCandlestickPatterns } from '../analysis/patterns/detectCandlestickPatterns.js';
import { buildSummaryFacts } from '../analysis/summary/summaryFacts.js';
import { writeRuleBasedSummary } from '../analysis/summary/writeRuleBasedSummary.js';
import { syntheticCandleSource } from '../integrations/marketData/syntheticCandleSource.js';
import { buildAnalysisData } from '../analysis/analysisData.js';
import { type Occurrence, patternHitRates } from '../analysis/chartPatterns/hitRates.js';
import { renderD3NodeChartPng } from './d3NodeChart.js';

const require = createRequire(import.meta.url);

const SIZES = [
  { candles: 168, timeframe: '7d', warmup: 30, runs: 60, compareRuns: 30 },
  { candles: 10_000, timeframe: '10000h', warmup: 10, runs: 60, compareRuns: 10 },
];

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const round = (value: number): number => Math.round(value * 100) / 100;

async function runOnce(timeframe: string): Promise<{ times: Record<string, number>; svg: string }> {
  const times: Record<string, number> = {};
  let start = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    times[stage] = now - start;
    start = now;
  };
  const series: CandleSeries = await syntheticCandleSource.load({
    symbol: 'BENCHUSD',
    interval: '1h',
    timeframe,
    signal: new AbortController().signal,
  });
  lap('candles');
  // The job's stages, as its worker runs them.
  const report = analyzeSeries(series);
  lap('analysis');
  const svg = renderChartSvg(series, report);
  lap('svg');
  writeRuleBasedSummary(buildSummaryFacts(series, report));
  lap('summary');
  buildAnalysisData(series, report);
  lap('analysis_data');
  // What `analysis` is made of, each part once more on its own, as analyzeSeries runs it.
  const all = [...(series.warmup ?? []), ...series.candles];
  const offset = all.length - series.candles.length;
  start = performance.now();
  computeIndicators(all);
  lap(`${PART}indicators`);
  const context = buildCandleContext(all);
  lap(`${PART}candle_context`);
  const candlestickHits = detectCandlestickPatterns(all, context, offset);
  lap(`${PART}candlestick_patterns`);
  const chart = detectChartPatterns(
    series.candles,
    context.averageRange.subarray(offset),
    context.averageVolume.subarray(offset),
  );
  lap(`${PART}chart_patterns`);
  patternHitRates(
    series.candles,
    chart.patterns
      .map((hit): Occurrence => ({ pattern: hit.pattern, direction: hit.direction, index: hit.endIndex }))
      .concat(candlestickHits),
  );
  lap(`${PART}hit_rates`);
  return { times, svg };
}
/** Prefix of the stages that break `analysis` down (timed apart, not added to the total). */
const PART = 'analysis.';

/**
 * The PNG of a chart as the API draws it on first request. Timed in a loop of its own: a
 * worker never draws one, and the canvas's native memory would otherwise bring GC work into
 * the job's stages.
 */
async function timePng(svg: string, warmup: number, runs: number): Promise<{ draw: number[]; encode: number[] }> {
  const draw: number[] = [];
  const encode: number[] = [];
  for (let run = 0; run < warmup + runs; run += 1) {
    const start = performance.now();
    const { rgba, width, height } = drawChartPixels(svg);
    const drawn = performance.now();
    encodePng(rgba, width, height);
    if (run >= warmup) {
      draw.push(drawn - start);
      encode.push(performance.now() - drawn);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { draw, encode };
}

for (const size of SIZES) {
  const samples: Record<string, number>[] = [];
  let svg = '';
  for (let run = 0; run < size.warmup + size.runs; run += 1) {
    const sample = await runOnce(size.timeframe);
    if (run >= size.warmup) samples.push(sample.times);
    svg = sample.svg;
    await new Promise((resolve) => setImmediate(resolve)); // between jobs a worker waits on Redis
  }
  const stages = Object.keys(samples[0]!);
  const perStage = Object.fromEntries(
    stages.map((stage) => [`${stage}_ms`, round(median(samples.map((sample) => sample[stage]!)))]),
  );
  const jobStages = stages.filter((stage) => !stage.startsWith(PART));
  const total = median(samples.map((sample) => jobStages.reduce((sum, stage) => sum + sample[stage]!, 0)));
  const png = await timePng(svg, size.warmup, size.runs);
  const pngTotal = median(png.draw.map((draw, run) => draw + png.encode[run]!));
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    JSON.stringify({
      bench: 'analysis',
      candles: size.candles,
      runs: size.runs,
      ...perStage,
      total_ms: round(total),
      png_draw_ms: round(median(png.draw)),
      png_encode_ms: round(median(png.encode)),
      png_first_request_ms: round(pngTotal),
      total_with_png_ms: round(total + pngTotal),
      peak_rss_mb: peakRssMb,
    }),
  );
}
// After every size, so jsdom's heap does not count in the peak RSS above.
for (const size of SIZES) console.log(JSON.stringify(await compareRenderers(size.timeframe, size.compareRuns)));

/** Milliseconds for the chart as SVG and PNG: ours, the same SVG through resvg, and d3-node. */
async function compareRenderers(timeframe: string, runs: number): Promise<Record<string, number | string>> {
  const series = await syntheticCandleSource.load({
    symbol: 'BENCHUSD',
    interval: '1h',
    timeframe,
    signal: new AbortController().signal,
  });
  const report = analyzeSeries(series);
  const timeOf = (render: () => Uint8Array) => {
    render();
    const times: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const start = performance.now();
      render();
      times.push(performance.now() - start);
    }
    return round(median(times));
  };
  // Alternating would be fairer under load; the three run back to back, each after its own warm-up.
  const ours = timeOf(() => skiaSvgToPng(renderChartSvg(series, report)));
  const resvg = timeOf(() => svgToPng(renderChartSvg(series, report)));
  const d3node = timeOf(() => renderD3NodeChartPng(series, report));
  return {
    bench: 'analysis_chart_renderers',
    candles: series.candles.length,
    runs,
    candela_svg_png_ms: ours,
    resvg_svg_png_ms: resvg,
    d3node_svg_png_ms: d3node,
    resvg_over_candela: round(resvg / ours),
    d3node_over_candela: round(d3node / ours),
  };
}

{
  const { candles } = await syntheticCandleSource.load({
    symbol: 'BENCHUSD',
    interval: '1h',
    timeframe: '10000h',
    signal: new AbortController().signal,
  });
  const runs = 30;
  const times: number[] = [];
  let hits = 0;
  for (let run = 0; run < 10 + runs; run += 1) {
    const start = performance.now();
    hits = detectCandlestickPatterns(candles, buildCandleContext(candles)).length;
    if (run >= 10) times.push(performance.now() - start);
  }
  console.log(
    JSON.stringify({
      bench: 'analysis_candlesticks',
      candles: candles.length,
      patterns: PATTERN_SPECS.length,
      runs,
      hits,
      median_ms: round(median(times)),
      min_ms: round(Math.min(...times)),
    }),
  );
}

// A worker's memory (no PNG), then the same analyses drawing every PNG as well (as before it was lazy).
// Compiled and under plain node, as a worker runs (node dist/...): tsx's loader would count too.
const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  cwd: new URL('..', import.meta.url).pathname,
  stdio: 'inherit',
});
if (build.status !== 0) throw new Error(`tsc -p tsconfig.build.json exited with ${build.status}`);
for (const png of ['0', '1']) {
  const child = spawnSync(process.execPath, [new URL('../dist/bench/analysisRss.js', import.meta.url).pathname], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_RSS_PNG: png },
  });
  process.stdout.write(child.stdout);
  if (child.status !== 0) throw new Error(`dist/bench/analysisRss.js exited with ${child.status}`);
}
