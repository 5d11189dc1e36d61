/** The facts a summary may state. Simple version until issue #3 lands; the signature stays. */
import type { CandleSeries } from '../candles.js';
import type { AnalysisReport } from '../analyzeSeries.js';

export interface SummaryFacts {
  symbol: string;
  interval: string;
  timeframe: string;
  dataSource: CandleSeries['source'];
  lastClose: number;
  high: number;
  low: number;
  trend: AnalysisReport['trend'];
}

export function buildSummaryFacts(series: CandleSeries, report: AnalysisReport): SummaryFacts {
  return { symbol: series.symbol, interval: series.interval, timeframe: series.timeframe, dataSource: series.source, ...report };
}
