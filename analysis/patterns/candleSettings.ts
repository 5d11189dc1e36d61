/**
 * TA-Lib's candle settings (its defaults): what a "long body", "short shadow" or "near"
 * means, as a factor of the average of one range type over the candles before the one
 * measured. Averaging never includes the candle itself; a period of 0 means "this candle's
 * own range" (so ShadowLong compares a shadow with the candle's own real body).
 */
export type RangeType = 'realBody' | 'highLow' | 'shadows';

export interface CandleSetting {
  rangeType: RangeType;
  period: number;
  factor: number;
}

export const CANDLE_SETTINGS = {
  bodyLong: { rangeType: 'realBody', period: 10, factor: 1.0 },
  bodyVeryLong: { rangeType: 'realBody', period: 10, factor: 3.0 },
  bodyShort: { rangeType: 'realBody', period: 10, factor: 1.0 },
  bodyDoji: { rangeType: 'highLow', period: 10, factor: 0.1 },
  shadowLong: { rangeType: 'realBody', period: 0, factor: 1.0 },
  shadowVeryLong: { rangeType: 'realBody', period: 0, factor: 2.0 },
  shadowShort: { rangeType: 'shadows', period: 10, factor: 1.0 },
  shadowVeryShort: { rangeType: 'highLow', period: 10, factor: 0.1 },
  near: { rangeType: 'highLow', period: 5, factor: 0.2 },
  far: { rangeType: 'highLow', period: 5, factor: 0.6 },
  equal: { rangeType: 'highLow', period: 5, factor: 0.05 },
} as const satisfies Record<string, CandleSetting>;

export type CandleSettingName = keyof typeof CANDLE_SETTINGS;

/**
 * For every candle j, the setting's threshold: factor × mean of the range over candles
 * j−period … j−1 (÷2 for shadows, which count two shadows), as TA-Lib computes it. NaN where
 * fewer than `period` candles precede j. `measure` holds the range of each candle; one
 * running sum, so O(n).
 */
export function settingThresholds(setting: CandleSetting, measure: Float64Array): Float64Array {
  const length = measure.length;
  const out = new Float64Array(length);
  const divisor = setting.rangeType === 'shadows' ? 2.0 : 1.0;
  const { period, factor } = setting;
  if (period === 0) {
    for (let j = 0; j < length; j += 1) out[j] = (factor * measure[j]!) / divisor;
    return out;
  }
  let sum = 0;
  for (let j = 0; j < length; j += 1) {
    if (j < period) {
      out[j] = Number.NaN;
      sum += measure[j]!;
    } else {
      out[j] = (factor * (sum / period)) / divisor;
      // TA-Lib's order: the difference first, then added, so the sums round as TA-Lib's do.
      sum += measure[j]! - measure[j - period]!;
    }
  }
  return out;
}
