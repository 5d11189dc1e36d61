/**
 * A worker's memory over many analyses: 1,500 analyses of 168 candles, each stage as the
 * job runs it (candles, indicators and patterns, SVG, PNG, summary), printing RSS every 250.
 * Run by bench/analysis.ts in a process of its own, so the comparison renderers that
 * benchmark loads (resvg, jsdom) do not count. Between analyses it returns to the event loop,
 * as a worker does while it waits on Redis: the canvas's pixel readback is native memory that
 * Node frees from the event loop, never inside one synchronous run.
 */
import { analyzeSeries } from '../analysis/analyzeSeries.js';
import { renderChartSvg } from '../analysis/chart/renderChartSvg.js';
import { buildSummaryFacts } from '../analysis/summary/summaryFacts.js';
import { writeRuleBasedSummary } from '../analysis/summary/writeRuleBasedSummary.js';
import { syntheticCandleSource } from '../integrations/marketData/syntheticCandleSource.js';
import { skiaSvgToPng } from '../integrations/skiaRasterizer.js';

const ANALYSES = 1_500;
const rssMb = () => Math.round(process.memoryUsage().rss / 1_048_576);
const samples: { analyses: number; rss_mb: number }[] = [{ analyses: 0, rss_mb: rssMb() }];
for (let done = 1; done <= ANALYSES; done += 1) {
  const series = await syntheticCandleSource.load({
    symbol: `RSS${done % 50}USD`,
    interval: '1h',
    timeframe: '7d',
    signal: new AbortController().signal,
  });
  const report = analyzeSeries(series);
  skiaSvgToPng(renderChartSvg(series, report));
  writeRuleBasedSummary(buildSummaryFacts(series, report));
  await new Promise((resolve) => setImmediate(resolve));
  if (done % 250 === 0) samples.push({ analyses: done, rss_mb: rssMb() });
}
const last = samples[samples.length - 1]!;
const middle = samples.find((sample) => sample.analyses === 500)!;
console.log(
  JSON.stringify({
    bench: 'analysis_rss',
    analyses: ANALYSES,
    rss_mb: last.rss_mb,
    growth_last_1000_mb: last.rss_mb - middle.rss_mb,
    samples: samples.map((sample) => `${sample.analyses}:${sample.rss_mb}`).join(' '),
  }),
);
