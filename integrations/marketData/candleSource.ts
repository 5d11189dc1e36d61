/** Where candles come from, chosen by MARKET_DATA_PROVIDER. */
import type { CandleSeries } from '../../analysis/candles.js';
import type { Interval } from '../../analysis/intervals.js';

export interface CandleRequest {
  symbol: string;
  interval: Interval;
  timeframe: string;
  signal: AbortSignal;
}

export interface CandleSource {
  load(request: CandleRequest): Promise<CandleSeries>;
}
