/**
 * A worker's memory over many analyses: 1,500 analyses of 168 candles, each stage as the
 * job runs it (candles, indicators and patterns, SVG, summary; the PNG is drawn by the API on
 * first request, so a worker never loads Skia), printing RSS every 250.
 * BENCH_RSS_PNG=1 draws the PNG too, as a job did before, and as an API node's drawing
 * thread does for every chart requested.
 * Compiled with the build (tsconfig.build.json) and run as `node dist/bench/analysisRss.js`,
 * the way production runs a worker (compiled JS under plain node): under tsx its loader and
 * transpiler would count in the RSS as well. bench/analysis.ts builds it and runs it in a
 * process of its own, so the comparison renderers that benchmark loads (resvg, jsdom) do not count. Between analyses it returns to the event loop,
 * as a worker does while it waits on Redis: the canvas's pixel readback is native memory that
 * Node frees from the event loop, never inside one synchronous run.
 */
import { analyzeSeries } from '../analysis/analyzeSeries.js';
import { renderChartSvg } from '../analysis/chart/renderChartSvg.js';
import { buildSummaryFacts } from '../analysis/summary/summaryFacts.js';
import { writeRuleBasedSummary } from '../analysis/summary/writeRuleBasedSummary.js';
import { syntheticCandleSource } from '../integrations/marketData/syntheticCandleSource.js';
import type { SvgRasterizer } from '../analysis/chart/svgRasterizer.js';

const ANALYSES = 1_500;
const withPng = process.env.BENCH_RSS_PNG === '1';
const rasterize: SvgRasterizer | undefined = withPng
  ? (await import('../integrations/skiaRasterizer.js')).skiaSvgToPng
  : undefined;
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
  const svg = renderChartSvg(series, report);
  rasterize?.(svg);
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
    png: withPng,
    rss_mb: last.rss_mb,
    growth_last_1000_mb: last.rss_mb - middle.rss_mb,
    // Where the RSS is: V8's heap (used and reserved), and memory outside it (Buffers, native canvas readbacks).
    ...(() => {
      const memory = process.memoryUsage();
      const mb = (bytes: number) => Math.round(bytes / 1_048_576);
      return {
        heap_used_mb: mb(memory.heapUsed),
        heap_total_mb: mb(memory.heapTotal),
        external_mb: mb(memory.external),
      };
    })(),
    samples: samples.map((sample) => `${sample.analyses}:${sample.rss_mb}`).join(' '),
  }),
);
