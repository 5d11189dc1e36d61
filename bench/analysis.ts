/**
 * Analysis pipeline benchmark: one JSON line per size with milliseconds per stage (median of
 * the measured runs after a warm-up) and the process's peak RSS. Candles come from the
 * synthetic source (in memory, so the figure is generation, not I/O).
 * Targets the project holds itself to: whole pipeline ≤ 15 ms at 168 candles, ≤ 250 ms at 10,000, PNG included,
 * under 200 MB RSS.
 * A last line times candlestick detection alone (candle context with its trailing averages,
 * then all 61 TA-Lib patterns) over 10,000 candles: target ≤ 15 ms.
 */
import { analyzeSeries } from '../analysis/analyzeSeries.js';
import type { CandleSeries } from '../analysis/candles.js';
import { renderChartSvg } from '../analysis/chart/renderChartSvg.js';
import { svgToPng } from '../integrations/chartRasterizer.js';
import { detectChartPatterns } from '../analysis/chartPatterns/detectChartPatterns.js';
import { computeIndicators } from '../analysis/indicators/computeIndicators.js';
import { buildCandleContext } from '../analysis/patterns/candleContext.js';
import { PATTERN_SPECS } from '../analysis/patterns/candlestickCatalog.js';
import { detectCandlestickPatterns } from '../analysis/patterns/detectCandlestickPatterns.js';
import { buildSummaryFacts } from '../analysis/summary/summaryFacts.js';
import { writeRuleBasedSummary } from '../analysis/summary/writeRuleBasedSummary.js';
import { syntheticCandleSource } from '../integrations/marketData/syntheticCandleSource.js';

const SIZES = [
  { candles: 168, timeframe: '7d', warmup: 30, runs: 60 },
  { candles: 10_000, timeframe: '10000h', warmup: 5, runs: 15 },
];

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const round = (value: number): number => Math.round(value * 100) / 100;

async function runOnce(timeframe: string): Promise<Record<string, number>> {
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
  computeIndicators(series.candles);
  lap('indicators');
  const context = buildCandleContext(series.candles);
  detectCandlestickPatterns(series.candles, context);
  lap('candlestick_patterns');
  detectChartPatterns(series.candles, context.averageRange, context.averageVolume);
  lap('chart_patterns');
  // The stages above, once more as the job runs them, to feed the chart and summary.
  const report = analyzeSeries(series);
  start = performance.now();
  const svg = renderChartSvg(series, report);
  lap('svg');
  svgToPng(svg);
  lap('png');
  writeRuleBasedSummary(buildSummaryFacts(series, report));
  lap('summary');
  return times;
}

for (const size of SIZES) {
  for (let run = 0; run < size.warmup; run += 1) await runOnce(size.timeframe);
  const samples: Record<string, number>[] = [];
  for (let run = 0; run < size.runs; run += 1) samples.push(await runOnce(size.timeframe));
  const stages = Object.keys(samples[0]!);
  const perStage = Object.fromEntries(
    stages.map((stage) => [`${stage}_ms`, round(median(samples.map((sample) => sample[stage]!)))]),
  );
  const total = round(median(samples.map((sample) => stages.reduce((sum, stage) => sum + sample[stage]!, 0))));
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    JSON.stringify({
      bench: 'analysis',
      candles: size.candles,
      runs: size.runs,
      ...perStage,
      total_ms: total,
      peak_rss_mb: peakRssMb,
    }),
  );
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
