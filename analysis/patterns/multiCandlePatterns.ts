/**
 * Two- and three-candle patterns, each called with the index of its last candle. The trend
 * context is measured into the pattern's first candle, and sizes against the average range
 * before it (avg), so the pattern's own candles do not inflate their yardstick.
 */
import type { Candle } from '../candles.js';
import type { CandleContext } from './candleContext.js';
import { body, bodyBottom, bodyMiddle, bodyTop, clamp01, isBearish, isBullish, priorTrend, range, strengthScore, TREND_THRESHOLD, upperShadow, lowerShadow } from './candleContext.js';
import type { DetectorResult } from './candlestickTypes.js';

type Side = 'bullish' | 'bearish';

interface Window {
  candles: Candle[];
  average: number;
  trend: number;
  volume: number;
}

/** The `span` candles ending at `index`, with the yardsticks taken at the first of them. */
function window(context: CandleContext, index: number, span: number): Window | undefined {
  const first = index - span + 1;
  if (first < 0) return undefined;
  const average = context.averageRange[first]!;
  if (!(average > 0)) return undefined;
  const candles = context.candles.slice(first, index + 1);
  const volume = candles[candles.length - 1]!.volume / context.averageVolume[first]!;
  return { candles, average, trend: priorTrend(context, first), volume };
}

/** A decline into a bullish pattern, an advance into a bearish one. */
const trendFits = (side: Side, trend: number): boolean => (side === 'bullish' ? trend <= -TREND_THRESHOLD : trend >= TREND_THRESHOLD);
const hasColour = (side: Side, candle: Candle): boolean => (side === 'bullish' ? isBullish(candle) : isBearish(candle));
const opposite = (side: Side): Side => (side === 'bullish' ? 'bearish' : 'bullish');

function result(side: Side, shape: number, w: Window, size: number): DetectorResult {
  return { direction: side, strength: strengthScore({ shape, size, trend: w.trend, volume: w.volume }) };
}

/**
 * Engulfing: after the opposite trend, a real body against the trend (≥ 0.3·avg), then a
 * body with the new direction that covers it (opens at or beyond its close, closes at or
 * beyond its open), at least 1.1× as long and ≥ 0.6·avg.
 */
function engulfing(side: Side) {
  return (context: CandleContext, index: number): DetectorResult | undefined => {
    const w = window(context, index, 2);
    if (!w || !trendFits(side, w.trend)) return undefined;
    const [first, second] = w.candles as [Candle, Candle];
    if (!hasColour(opposite(side), first) || !hasColour(side, second) || body(first) < 0.3 * w.average) return undefined;
    const covers = side === 'bullish' ? second.open <= first.close && second.close >= first.open : second.open >= first.close && second.close <= first.open;
    if (!covers || body(second) < Math.max(1.1 * body(first), 0.6 * w.average)) return undefined;
    return result(side, (body(second) / body(first) - 1.1) / 1.5, w, body(second) / w.average);
  };
}
export const bullishEngulfing = engulfing('bullish');
export const bearishEngulfing = engulfing('bearish');

/**
 * Harami: after a trend, a long body with it (≥ 1.0·avg), then a body at most half as long
 * that sits inside it and is not of the trend's colour (a doji counts: the harami cross).
 * Bullish after a decline, bearish after an advance.
 */
export function harami(context: CandleContext, index: number): DetectorResult | undefined {
  const w = window(context, index, 2);
  if (!w) return undefined;
  const side: Side | undefined = trendFits('bullish', w.trend) ? 'bullish' : trendFits('bearish', w.trend) ? 'bearish' : undefined;
  if (!side) return undefined;
  const [first, second] = w.candles as [Candle, Candle];
  if (!hasColour(opposite(side), first) || body(first) < w.average) return undefined;
  if (hasColour(opposite(side), second) && body(second) > 0.1 * range(second)) return undefined;
  if (bodyTop(second) > bodyTop(first) || bodyBottom(second) < bodyBottom(first) || body(second) > 0.5 * body(first)) return undefined;
  return result(side, 1 - body(second) / (0.5 * body(first)), w, body(first) / w.average);
}

/**
 * Piercing line (bullish) and dark cloud cover (bearish): after a trend, a long body with it
 * (≥ 1.0·avg); the next candle opens at or beyond that close, turns, and closes past the
 * middle of the first body without covering it (else it is an engulfing), its body ≥ 0.5·avg.
 */
function counterattack(side: Side) {
  return (context: CandleContext, index: number): DetectorResult | undefined => {
    const w = window(context, index, 2);
    if (!w || !trendFits(side, w.trend)) return undefined;
    const [first, second] = w.candles as [Candle, Candle];
    if (!hasColour(opposite(side), first) || body(first) < w.average || !hasColour(side, second) || body(second) < 0.5 * w.average) return undefined;
    const middle = bodyMiddle(first);
    const fits =
      side === 'bullish'
        ? second.open <= first.close && second.close > middle && second.close < first.open
        : second.open >= first.close && second.close < middle && second.close > first.open;
    if (!fits) return undefined;
    return result(side, Math.abs(second.close - middle) / Math.abs(first.open - middle), w, body(first) / w.average);
  };
}
export const piercingLine = counterattack('bullish');
export const darkCloudCover = counterattack('bearish');

/**
 * Morning star (bullish) and evening star (bearish): after a trend, a long body with it
 * (≥ 1.0·avg); a small star (body ≤ 0.3× the first) whose body centre lies beyond the
 * first close; then a body against the trend (≥ 0.5·avg) closing past the first body's middle.
 */
function star(side: Side) {
  return (context: CandleContext, index: number): DetectorResult | undefined => {
    const w = window(context, index, 3);
    if (!w || !trendFits(side, w.trend)) return undefined;
    const [first, middleCandle, last] = w.candles as [Candle, Candle, Candle];
    if (!hasColour(opposite(side), first) || body(first) < w.average) return undefined;
    if (body(middleCandle) > 0.3 * body(first)) return undefined;
    const starBeyond = side === 'bullish' ? bodyMiddle(middleCandle) <= first.close : bodyMiddle(middleCandle) >= first.close;
    if (!starBeyond || !hasColour(side, last) || body(last) < 0.5 * w.average) return undefined;
    const recovery = side === 'bullish' ? last.close - bodyMiddle(first) : bodyMiddle(first) - last.close;
    if (recovery <= 0) return undefined;
    return result(side, 0.5 * (1 - body(middleCandle) / (0.3 * body(first))) + 0.5 * clamp01(recovery / (0.5 * body(first))), w, body(first) / w.average);
  };
}
export const morningStar = star('bullish');
export const eveningStar = star('bearish');

/**
 * Three white soldiers (bullish) and three black crows (bearish): three bodies of one colour,
 * each ≥ 0.6·avg, each closing beyond the previous close and opening within the previous
 * body, each closing near its extreme (the shadow beyond the close ≤ 0.3·range). They turn
 * a market, so the trend into them must not already run their way (priorTrend ≤ 0 for
 * soldiers, ≥ 0 for crows).
 */
function threeInARow(side: Side) {
  return (context: CandleContext, index: number): DetectorResult | undefined => {
    const w = window(context, index, 3);
    if (!w || Number.isNaN(w.trend) || (side === 'bullish' ? w.trend > 0 : w.trend < 0)) return undefined;
    let smallest = Number.POSITIVE_INFINITY;
    for (let k = 0; k < 3; k += 1) {
      const candle = w.candles[k]!;
      const beyondClose = side === 'bullish' ? upperShadow(candle) : lowerShadow(candle);
      if (!hasColour(side, candle) || body(candle) < 0.6 * w.average || beyondClose > 0.3 * range(candle)) return undefined;
      smallest = Math.min(smallest, body(candle));
      const previous = w.candles[k - 1];
      if (!previous) continue;
      const advances = side === 'bullish' ? candle.close > previous.close : candle.close < previous.close;
      const opensInside = candle.open >= bodyBottom(previous) && candle.open <= bodyTop(previous);
      if (!advances || !opensInside) return undefined;
    }
    return result(side, (smallest / w.average - 0.6) / 0.6, w, smallest / w.average);
  };
}
export const threeWhiteSoldiers = threeInARow('bullish');
export const threeBlackCrows = threeInARow('bearish');
