/**
 * One-candle patterns. Each rule is stated against the candle's own range (r), its body (b)
 * and shadows, and the average range of the candles before it (avg); the reversal shapes
 * also need the trend leading into them (priorTrend, in average ranges).
 */
import type { CandleContext } from './candleContext.js';
import { body, clamp01, isBullish, lowerShadow, priorTrend, range, strengthScore, TREND_THRESHOLD, upperShadow } from './candleContext.js';
import type { DetectorResult } from './candlestickTypes.js';

type Shadow = 'lower' | 'upper';

function measures(context: CandleContext, index: number) {
  const candle = context.candles[index]!;
  const average = context.averageRange[index]!;
  const volume = candle.volume / context.averageVolume[index]!;
  return { candle, average, r: range(candle), b: body(candle), upper: upperShadow(candle), lower: lowerShadow(candle), volume };
}

/** Doji: a real candle (r ≥ 0.6·avg) whose body is at most a tenth of its range. */
export function doji(context: CandleContext, index: number): DetectorResult | undefined {
  const { average, r, b, volume } = measures(context, index);
  if (!(average > 0) || r < 0.6 * average || b > 0.1 * r) return undefined;
  return { direction: 'neutral', strength: strengthScore({ shape: 1 - b / (0.1 * r), size: r / average, volume }) };
}

/**
 * The hammer shape (long shadow below) or its mirror (long shadow above): r ≥ 0.8·avg,
 * 0.1·r < b ≤ 0.35·r (a doji is not a hammer), the long shadow ≥ 2·b and ≥ 0.6·r,
 * the other shadow ≤ 0.1·r. Returns a shape score in 0..1, or undefined.
 */
function longShadowShape(context: CandleContext, index: number, long: Shadow): number | undefined {
  const { average, r, b, upper, lower } = measures(context, index);
  if (!(average > 0) || r < 0.8 * average) return undefined;
  if (b <= 0.1 * r || b > 0.35 * r) return undefined;
  const [longShadow, shortShadow] = long === 'lower' ? [lower, upper] : [upper, lower];
  if (longShadow < 2 * b || longShadow < 0.6 * r || shortShadow > 0.1 * r) return undefined;
  return 0.5 * clamp01((longShadow / r - 0.6) / 0.3) + 0.5 * (1 - shortShadow / (0.1 * r));
}

function reversal(context: CandleContext, index: number, long: Shadow, after: 'decline' | 'advance'): DetectorResult | undefined {
  const trend = priorTrend(context, index);
  if (after === 'decline' ? !(trend <= -TREND_THRESHOLD) : !(trend >= TREND_THRESHOLD)) return undefined;
  const shape = longShadowShape(context, index, long);
  if (shape === undefined) return undefined;
  const { average, r, volume } = measures(context, index);
  return { direction: after === 'decline' ? 'bullish' : 'bearish', strength: strengthScore({ shape, size: r / average, trend, volume }) };
}

/** Hammer: the long-lower-shadow shape after a decline. */
export const hammer = (context: CandleContext, index: number) => reversal(context, index, 'lower', 'decline');
/** Hanging man: the same shape after an advance. */
export const hangingMan = (context: CandleContext, index: number) => reversal(context, index, 'lower', 'advance');
/** Inverted hammer: the long-upper-shadow shape after a decline. */
export const invertedHammer = (context: CandleContext, index: number) => reversal(context, index, 'upper', 'decline');
/** Shooting star: the long-upper-shadow shape after an advance. */
export const shootingStar = (context: CandleContext, index: number) => reversal(context, index, 'upper', 'advance');

/**
 * Marubozu: a long candle (r ≥ 1.5·avg) that is nearly all body (b ≥ 0.95·r), traded on at
 * least average volume; direction by colour. Thinly traded hourly bars (a few hundred shares)
 * often open at the low and close at the high: without the volume condition one URTH bar in
 * eight would be a "marubozu".
 */
export function marubozu(context: CandleContext, index: number): DetectorResult | undefined {
  const { candle, average, r, b, volume } = measures(context, index);
  if (!(average > 0) || r < 1.5 * average || b < 0.95 * r || !(volume >= 1)) return undefined;
  return { direction: isBullish(candle) ? 'bullish' : 'bearish', strength: strengthScore({ shape: (b / r - 0.95) / 0.05, size: r / average, volume }) };
}

/**
 * Spinning top: r ≥ 0.8·avg, a small body (0.1·r < b ≤ 0.3·r) between two shadows that
 * are each longer than the body and balanced (the shorter at least half the longer).
 */
export function spinningTop(context: CandleContext, index: number): DetectorResult | undefined {
  const { average, r, b, upper, lower, volume } = measures(context, index);
  if (!(average > 0) || r < 0.8 * average || b <= 0.1 * r || b > 0.3 * r) return undefined;
  if (upper < b || lower < b) return undefined;
  const balance = Math.min(upper, lower) / Math.max(upper, lower);
  if (balance < 0.5) return undefined;
  return { direction: 'neutral', strength: strengthScore({ shape: (balance - 0.5) / 0.5, size: r / average, volume }) };
}
