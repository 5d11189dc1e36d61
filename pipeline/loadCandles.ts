/** Stage 1: the candles of the requested window, from the configured market-data source. */
import type { CandleSeries } from '../analysis/candles.js';
import type { Interval } from '../analysis/intervals.js';
import type { CandleSource } from '../integrations/marketData/candleSource.js';

export interface CandleWindow {
  symbol: string;
  interval: Interval;
  timeframe: string;
  /** Only candles opening before this (epoch ms): a scheduled run analyses the bars closed when it was due. */
  until?: number;
}

export async function loadCandles(
  candles: CandleSource,
  window: CandleWindow,
  signal: AbortSignal,
): Promise<CandleSeries> {
  const series = await candles.load({
    symbol: window.symbol,
    interval: window.interval,
    timeframe: window.timeframe,
    signal,
  });
  const until = window.until;
  if (until === undefined) return series;
  return { ...series, candles: series.candles.filter((candle) => candle.time < until) };
}
