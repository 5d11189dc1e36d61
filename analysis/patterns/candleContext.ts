/**
 * What every candlestick pattern is measured against: the candle's own range and body,
 * the average range of the candles before it, and the trend that led into it. Thresholds
 * are ratios of these, never a share of the price, so a rule means the same on a $2 and a
 * $90,000 market.
 */
import type { Candle } from '../candles.js';

/** Candles averaged for the "recent average range" (the candle itself excluded). */
export const RANGE_LOOKBACK = 14;
/** Candles over which the trend leading into a pattern is measured. */
export const TREND_LOOKBACK = 6;
/**
 * A prior decline or advance must move the close at least this many average ranges over
 * TREND_LOOKBACK candles. On URTH 2025 hourly candles about one bar in six qualifies each way.
 */
export const TREND_THRESHOLD = 2;

export interface CandleContext {
  candles: readonly Candle[];
  /** Mean high − low of the RANGE_LOOKBACK candles before index i; NaN when fewer than 5 exist. */
  averageRange: Float64Array;
  /** Mean volume of the RANGE_LOOKBACK candles before index i; NaN when fewer than 5 exist. */
  averageVolume: Float64Array;
}

export function buildCandleContext(candles: readonly Candle[]): CandleContext {
  const length = candles.length;
  const averageRange = new Float64Array(length).fill(Number.NaN);
  const averageVolume = new Float64Array(length).fill(Number.NaN);
  let rangeSum = 0;
  let volumeSum = 0;
  for (let index = 0; index < length; index += 1) {
    const count = Math.min(index, RANGE_LOOKBACK);
    if (count >= 5) {
      averageRange[index] = rangeSum / count;
      averageVolume[index] = volumeSum / count;
    }
    const candle = candles[index]!;
    rangeSum += candle.high - candle.low;
    volumeSum += candle.volume;
    const leaving = candles[index - RANGE_LOOKBACK];
    if (leaving) {
      rangeSum -= leaving.high - leaving.low;
      volumeSum -= leaving.volume;
    }
  }
  return { candles, averageRange, averageVolume };
}

export const body = (candle: Candle): number => Math.abs(candle.close - candle.open);
export const range = (candle: Candle): number => candle.high - candle.low;
export const upperShadow = (candle: Candle): number => candle.high - Math.max(candle.open, candle.close);
export const lowerShadow = (candle: Candle): number => Math.min(candle.open, candle.close) - candle.low;
export const bodyTop = (candle: Candle): number => Math.max(candle.open, candle.close);
export const bodyBottom = (candle: Candle): number => Math.min(candle.open, candle.close);
export const bodyMiddle = (candle: Candle): number => (candle.open + candle.close) / 2;
export const isBullish = (candle: Candle): boolean => candle.close > candle.open;
export const isBearish = (candle: Candle): boolean => candle.close < candle.open;

/**
 * The move of the close over the TREND_LOOKBACK candles before `index`, in average
 * ranges measured at `index`: −3 means the price fell three average ranges into it.
 * NaN when there is not enough history.
 */
export function priorTrend(context: CandleContext, index: number): number {
  const average = context.averageRange[index];
  const last = context.candles[index - 1];
  const first = context.candles[index - 1 - TREND_LOOKBACK];
  if (average === undefined || !last || !first || !(average > 0)) return Number.NaN;
  return (last.close - first.close) / average;
}

export const clamp01 = (value: number): number => (value < 0 ? 0 : value > 1 ? 1 : value);

/**
 * Strength in [0, 1]: how clearly the shape passed its thresholds (0..1), how large the
 * candles are against the average range, how strong the preceding trend was (when the
 * pattern needs one) and whether volume was above average.
 */
export function strengthScore(parts: { shape: number; size: number; trend?: number; volume: number }): number {
  const size = clamp01(parts.size / 2);
  const volume = Number.isNaN(parts.volume) ? 0.5 : clamp01(parts.volume / 2);
  if (parts.trend === undefined) return round2(0.55 * clamp01(parts.shape) + 0.25 * size + 0.2 * volume);
  const trend = clamp01(Math.abs(parts.trend) / (2 * TREND_THRESHOLD));
  return round2(0.4 * clamp01(parts.shape) + 0.2 * size + 0.25 * trend + 0.15 * volume);
}

export const round2 = (value: number): number => Math.round(value * 100) / 100;
