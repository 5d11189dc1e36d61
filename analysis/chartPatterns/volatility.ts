/**
 * Local volatility: the mean true range over a stretch of candles and the VOLATILITY_LOOKBACK
 * before it. Every chart-pattern threshold is a multiple of this, measured around the pattern,
 * so a crash elsewhere in the window neither hides a pattern nor inflates a quiet one.
 */
import type { Candle } from '../candles.js';

export const VOLATILITY_LOOKBACK = 14;

export interface Volatility {
  /** Mean true range over [start − VOLATILITY_LOOKBACK, end], clamped to the series; never 0 for a non-flat series. */
  around(start: number, end: number): number;
  /** Mean true range over the whole series. */
  overall: number;
}

export function measureVolatility(candles: readonly Candle[]): Volatility {
  const prefix = new Float64Array(candles.length + 1);
  for (let index = 0; index < candles.length; index += 1) {
    const candle = candles[index]!;
    const previous = candles[index - 1]?.close ?? candle.close;
    prefix[index + 1] = prefix[index]! + Math.max(candle.high, previous) - Math.min(candle.low, previous);
  }
  const mean = (from: number, to: number) => (to > from ? (prefix[to]! - prefix[from]!) / (to - from) : 0);
  const overall = mean(0, candles.length);
  return {
    overall,
    around(start, end) {
      const from = Math.max(0, Math.min(start, end) - VOLATILITY_LOOKBACK);
      const to = Math.min(candles.length, Math.max(start, end) + 1);
      const local = mean(from, to);
      return local > 0 ? local : overall;
    },
  };
}
