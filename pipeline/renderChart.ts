/** Stage 3: the chart as SVG and PNG, both stored; answers the chart's path, which becomes `image_url`. */
import type { AnalysisReport } from '../analysis/analyzeSeries.js';
import type { CandleSeries } from '../analysis/candles.js';
import { renderChartSvg } from '../analysis/chart/renderChartSvg.js';
import { chartPath } from '../storage/charts/chartPath.js';
import type { SvgRasterizer } from '../analysis/chart/svgRasterizer.js';
import type { ChartStore } from '../storage/charts/chartStore.js';

export async function renderChart(
  charts: ChartStore,
  rasterize: SvgRasterizer,
  analysisId: string,
  series: CandleSeries,
  report: AnalysisReport,
  signal: AbortSignal,
): Promise<string> {
  // Rendering is synchronous CPU work: check between the steps so an aborted job stops early.
  signal.throwIfAborted();
  const svg = renderChartSvg(series, report);
  signal.throwIfAborted();
  const png = rasterize(svg);
  signal.throwIfAborted();
  await charts.save(analysisId, { svg, png });
  return chartPath({ analysisId, format: 'png' });
}
