/** The window's trend: a least-squares line through the closes, judged by its fit and its size. */
import type { Candle } from '../candles.js';
import type { TrendEstimate } from './chartPatternTypes.js';

/** A trend needs the line to explain at least this share of the closes' variance… */
export const MIN_TREND_R2 = 0.3;
/** …and to move at least this many average candle ranges over the window. */
export const MIN_TREND_RANGES = 3;

export function measureTrend(candles: readonly Candle[], meanRange: number): TrendEstimate {
  const n = candles.length;
  if (n < 3)
    return {
      direction: 'sideways',
      strength: 0,
      slopePerCandle: 0,
      changePercent: 0,
      changeInRanges: 0,
      intercept: candles[0]?.close ?? 0,
    };
  let sumY = 0;
  for (const candle of candles) sumY += candle.close;
  const meanX = (n - 1) / 2;
  const meanY = sumY / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let index = 0; index < n; index += 1) {
    const dx = index - meanX;
    const dy = candles[index]!.close - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const slope = sxy / sxx;
  const r2 = syy === 0 ? 0 : (sxy * sxy) / (sxx * syy);
  const start = meanY - slope * meanX;
  const change = slope * (n - 1);
  const changeInRanges = meanRange > 0 ? change / meanRange : 0;
  const trending = r2 >= MIN_TREND_R2 && Math.abs(changeInRanges) >= MIN_TREND_RANGES;
  return {
    direction: trending ? (slope > 0 ? 'up' : 'down') : 'sideways',
    strength: round(r2, 3),
    slopePerCandle: slope,
    changePercent: start !== 0 ? round((change / start) * 100, 3) : 0,
    changeInRanges: round(changeInRanges, 2),
    intercept: start,
  };
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;
