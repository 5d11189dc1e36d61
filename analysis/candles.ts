/** The candle series every analysis stage works on. */
import type { Interval } from './intervals.js';

export interface Candle {
  /** Open time, epoch milliseconds (UTC). */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export type DataSource = 'binance' | 'file' | 'synthetic';

export interface CandleSeries {
  symbol: string;
  interval: Interval;
  timeframe: string;
  /** Where the candles came from; shown wherever the data shows up, so synthetic data is never passed off as real. */
  source: DataSource;
  /** Where exactly: the file read, the exchange URL, or how synthetic candles were made. */
  sourceDetail?: string;
  candles: Candle[];
  /**
   * Candles just before the window, oldest first, for indicators to converge on; never
   * analysed or reported themselves. Empty or absent when the source has no earlier history.
   */
  warmup?: Candle[];
}
