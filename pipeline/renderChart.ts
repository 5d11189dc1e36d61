/**
 * Stage 3: the chart as SVG, stored, and its PNG when a rasterizer is given (otherwise the API
 * draws it on first request); answers the PNG's path, which becomes `image_url` either way.
 */
import type { AnalysisReport } from '../analysis/analyzeSeries.js';
import type { CandleSeries } from '../analysis/candles.js';
import { renderChartSvg } from '../analysis/chart/renderChartSvg.js';
import { chartPath } from '../storage/charts/chartPath.js';
import type { SvgRasterizer } from '../analysis/chart/svgRasterizer.js';
import type { ChartStore } from '../storage/charts/chartStore.js';

export async function renderChart(
  charts: ChartStore,
  rasterize: SvgRasterizer | undefined,
  analysisId: string,
  series: CandleSeries,
  report: AnalysisReport,
  signal: AbortSignal,
): Promise<string> {
  // Rendering is synchronous CPU work: check between the steps so an aborted job stops early.
  signal.throwIfAborted();
  const svg = renderChartSvg(series, report);
  signal.throwIfAborted();
  if (rasterize) {
    const png = rasterize(svg);
    signal.throwIfAborted();
    await charts.save(analysisId, { svg, png });
  } else await charts.save(analysisId, { svg });
  return chartPath({ analysisId, format: 'png' });
}
