/** The JSON stored as a job's `analysis_data`. Simple version until issue #3 lands; the signature stays. */
import type { CandleSeries } from './candles.js';
import type { AnalysisReport } from './analyzeSeries.js';

export interface AnalysisData {
  symbol: string;
  interval: string;
  timeframe: string;
  data_source: CandleSeries['source'];
  candle_count: number;
  report: AnalysisReport;
}

export function buildAnalysisData(series: CandleSeries, report: AnalysisReport): AnalysisData {
  return {
    symbol: series.symbol,
    interval: series.interval,
    timeframe: series.timeframe,
    data_source: series.source,
    candle_count: series.candles.length,
    report,
  };
}
