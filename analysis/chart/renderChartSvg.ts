/** Simple version until issue #3 lands: a close-price polyline and a title naming the data source. */
import type { CandleSeries } from '../candles.js';
import type { AnalysisReport } from '../analyzeSeries.js';

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 600;

export function renderChartSvg(series: CandleSeries, report: AnalysisReport): string {
  const span = report.high - report.low || 1;
  const step = CHART_WIDTH / Math.max(1, series.candles.length - 1);
  const points = series.candles
    .map((candle, index) => `${(index * step).toFixed(1)},${(CHART_HEIGHT - 40 - ((candle.close - report.low) / span) * (CHART_HEIGHT - 80)).toFixed(1)}`)
    .join(' ');
  const title = `${series.symbol} ${series.interval} ${series.timeframe} (${series.source})`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}"><rect width="100%" height="100%" fill="#fff"/><text x="10" y="24">${title}</text><polyline fill="none" stroke="#1f77b4" points="${points}"/></svg>`;
}
