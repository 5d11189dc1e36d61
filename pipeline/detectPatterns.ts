/** Stage 2: indicators, candlestick and chart patterns over the candles (pure, synchronous). */
import { analyzeSeries, type AnalysisReport } from '../analysis/analyzeSeries.js';
import type { CandleSeries } from '../analysis/candles.js';

export function detectPatterns(series: CandleSeries, signal: AbortSignal): AnalysisReport {
  signal.throwIfAborted();
  return analyzeSeries(series);
}
