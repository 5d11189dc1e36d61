/**
 * What every candlestick pattern is measured against, computed once per series: the prices
 * as typed arrays, TA-Lib's candle-setting thresholds for every candle (trailing averages,
 * the candle itself excluded), and our own yardsticks (average range and volume over the
 * RANGE_LOOKBACK candles before each one) for trend context, volume and chart patterns.
 */
import type { Candle } from '../candles.js';
import { CANDLE_SETTINGS, type CandleSettingName, type RangeType, settingThresholds } from './candleSettings.js';

/**
 * Bits of CandleContext.shape: the body tests most patterns start with, computed once per
 * candle so the scan loops can skip a detector whose first test would fail. Each is exactly
 * its detectors' comparison (false while the threshold warms up).
 */
/** realBody > BodyLong. */
export const LONG_BODY = 1;
/** realBody < BodyShort. */
export const SHORT_BODY = 2;
/** realBody ≤ BodyDoji. */
export const DOJI_BODY = 4;

/** Candles averaged for the "recent average range" (the candle itself excluded). */
export const RANGE_LOOKBACK = 14;

export interface CandleContext {
  candles: readonly Candle[];
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  time: Float64Array;
  volume: Float64Array;
  /** |close − open|, high − max(open, close), min(open, close) − low, per candle. */
  body: Float64Array;
  /** max(open, close), min(open, close) and high − low, per candle. */
  bodyTop: Float64Array;
  bodyBottom: Float64Array;
  highLow: Float64Array;
  upperShadow: Float64Array;
  lowerShadow: Float64Array;
  /** TA-Lib's candle colour: +1 white (close ≥ open), −1 black. */
  color: Int8Array;
  /** Per TA-Lib candle setting, its threshold at each candle (NaN while warming up). */
  threshold: Record<CandleSettingName, Float64Array>;
  /** LONG_BODY | SHORT_BODY | DOJI_BODY, per candle. */
  shape: Uint8Array;
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
  const time = new Float64Array(length);
  const volume = new Float64Array(length);
  const body = new Float64Array(length);
  const bodyTop = new Float64Array(length);
  const bodyBottom = new Float64Array(length);
  const highLow = new Float64Array(length);
  const upperShadow = new Float64Array(length);
  const lowerShadow = new Float64Array(length);
  const color = new Int8Array(length);
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
    time[index] = candle.time;
    volume[index] = candle.volume;
    body[index] = Math.abs(candle.close - candle.open);
    bodyTop[index] = Math.max(candle.open, candle.close);
    bodyBottom[index] = Math.min(candle.open, candle.close);
    highLow[index] = candle.high - candle.low;
    upperShadow[index] = candle.high - bodyTop[index]!;
    lowerShadow[index] = bodyBottom[index]! - candle.low;
    color[index] = candle.close >= candle.open ? 1 : -1;
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
  const shadows = new Float64Array(length);
  for (let index = 0; index < length; index += 1) shadows[index] = upperShadow[index]! + lowerShadow[index]!;
  const measures: Record<RangeType, Float64Array> = { realBody: body, highLow, shadows };
  const of = (name: CandleSettingName) =>
    settingThresholds(CANDLE_SETTINGS[name], measures[CANDLE_SETTINGS[name].rangeType]);
  // One literal, so every context has the same shape and the detectors' property loads stay monomorphic.
  const threshold: Record<CandleSettingName, Float64Array> = {
    bodyLong: of('bodyLong'),
    bodyVeryLong: of('bodyVeryLong'),
    bodyShort: of('bodyShort'),
    bodyDoji: of('bodyDoji'),
    shadowLong: of('shadowLong'),
    shadowVeryLong: of('shadowVeryLong'),
    shadowShort: of('shadowShort'),
    shadowVeryShort: of('shadowVeryShort'),
    near: of('near'),
    far: of('far'),
    equal: of('equal'),
  };
  const shape = new Uint8Array(length);
  for (let index = 0; index < length; index += 1) {
    const size = body[index]!;
    shape[index] =
      (size > threshold.bodyLong[index]! ? LONG_BODY : 0) |
      (size < threshold.bodyShort[index]! ? SHORT_BODY : 0) |
      (size <= threshold.bodyDoji[index]! ? DOJI_BODY : 0);
  }
  return {
    candles,
    open,
    high,
    low,
    close,
    time,
    volume,
    body,
    bodyTop,
    bodyBottom,
    highLow,
    upperShadow,
    lowerShadow,
    color,
    threshold,
    shape,
    averageRange,
    averageVolume,
  };
}
