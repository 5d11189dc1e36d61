/** Stage 1: the candles of the requested window, from the configured market-data source. */
import type { CandleSeries } from '../analysis/candles.js';
import type { Interval } from '../analysis/intervals.js';
import type { CandleSource } from '../integrations/marketData/candleSource.js';

export interface CandleWindow {
  symbol: string;
  interval: Interval;
  timeframe: string;
}

export function loadCandles(candles: CandleSource, window: CandleWindow, signal: AbortSignal): Promise<CandleSeries> {
  return candles.load({ symbol: window.symbol, interval: window.interval, timeframe: window.timeframe, signal });
}
