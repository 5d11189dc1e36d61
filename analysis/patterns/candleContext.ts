/**
 * What every candlestick pattern is measured against, computed once per series: the prices
 * as typed arrays, TA-Lib's candle-setting thresholds for every candle (trailing averages,
 * the candle itself excluded), and our own yardsticks (average range and volume over the
 * RANGE_LOOKBACK candles before each one) for trend context, volume and chart patterns.
 */
import type { Candle } from '../candles.js';
import { CANDLE_SETTINGS, type CandleSettingName, settingThresholds } from './candleSettings.js';

/** Candles averaged for the "recent average range" (the candle itself excluded). */
export const RANGE_LOOKBACK = 14;

export interface CandleContext {
  candles: readonly Candle[];
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  /** Per TA-Lib candle setting, its threshold at each candle (NaN while warming up). */
  threshold: Record<CandleSettingName, Float64Array>;
  /** Mean high − low of the RANGE_LOOKBACK candles before index i; NaN when fewer than 5 exist. */
  averageRange: Float64Array;
  /** Mean volume of the RANGE_LOOKBACK candles before index i; NaN when fewer than 5 exist. */
  averageVolume: Float64Array;
}

export function buildCandleContext(candles: readonly Candle[]): CandleContext {
  const length = candles.length;
  const open = new Float64Array(length);
  const high = new Float64Array(length);
  const low = new Float64Array(length);
  const close = new Float64Array(length);
  const averageRange = new Float64Array(length).fill(Number.NaN);
  const averageVolume = new Float64Array(length).fill(Number.NaN);
  let rangeSum = 0;
  let volumeSum = 0;
  for (let index = 0; index < length; index += 1) {
    const candle = candles[index]!;
    open[index] = candle.open;
    high[index] = candle.high;
    low[index] = candle.low;
    close[index] = candle.close;
    const count = Math.min(index, RANGE_LOOKBACK);
    if (count >= 5) {
      averageRange[index] = rangeSum / count;
      averageVolume[index] = volumeSum / count;
    }
    rangeSum += candle.high - candle.low;
    volumeSum += candle.volume;
    const leaving = candles[index - RANGE_LOOKBACK];
    if (leaving) {
      rangeSum -= leaving.high - leaving.low;
      volumeSum -= leaving.volume;
    }
  }
  const threshold = {} as Record<CandleSettingName, Float64Array>;
  for (const name of Object.keys(CANDLE_SETTINGS) as CandleSettingName[]) threshold[name] = settingThresholds(CANDLE_SETTINGS[name], open, high, low, close);
  return { candles, open, high, low, close, threshold, averageRange, averageVolume };
}
