/**
 * Simple version until the analysis-engine issue (#3) lands: a moving-average trend and the
 * window's range. The job actor's pattern child calls `analyzeSeries`; its signature stays.
 */
import type { CandleSeries } from './candles.js';

export interface AnalysisReport {
  lastClose: number;
  high: number;
  low: number;
  trend: 'up' | 'down' | 'sideways';
}

export function analyzeSeries(series: CandleSeries): AnalysisReport {
  const closes = series.candles.map((candle) => candle.close);
  const lastClose = closes.at(-1) ?? 0;
  const window = closes.slice(-20);
  const average = window.reduce((sum, close) => sum + close, 0) / Math.max(1, window.length);
  const drift = average === 0 ? 0 : (lastClose - average) / average;
  return {
    lastClose,
    high: Math.max(...series.candles.map((candle) => candle.high)),
    low: Math.min(...series.candles.map((candle) => candle.low)),
    trend: drift > 0.005 ? 'up' : drift < -0.005 ? 'down' : 'sideways',
  };
}
