/**
 * Dojis, as TA-Lib defines them: a real body no larger than BodyDoji (a tenth of the
 * average high−low range). TA-Lib reports the one-candle dojis as +100 whatever the market
 * did; we call them neutral.
 */
import type { CandleContext } from './candleContext.js';
import {
  bodyBottom,
  bodyDoji,
  bodyLong,
  bodyTop,
  color,
  highLow,
  lowerShadow,
  near,
  realBody,
  realBodyGapDown,
  realBodyGapUp,
  shadowLong,
  shadowVeryLong,
  shadowVeryShort,
  upperShadow,
} from './candleShapes.js';

const isDoji = (x: CandleContext, i: number): boolean => realBody(x, i) <= bodyDoji(x, i);

export const doji = (x: CandleContext, i: number): number => (isDoji(x, i) ? 100 : 0);

/** Dragonfly: a doji with a long lower shadow and next to no upper one. */
export const dragonflyDoji = (x: CandleContext, i: number): number =>
  isDoji(x, i) && upperShadow(x, i) < shadowVeryShort(x, i) && lowerShadow(x, i) > shadowVeryShort(x, i) ? 100 : 0;

/** Gravestone: a doji with a long upper shadow and next to no lower one. */
export const gravestoneDoji = (x: CandleContext, i: number): number =>
  isDoji(x, i) && lowerShadow(x, i) < shadowVeryShort(x, i) && upperShadow(x, i) > shadowVeryShort(x, i) ? 100 : 0;

/** Long-legged doji: a doji with at least one shadow longer than its body. */
export const longLeggedDoji = (x: CandleContext, i: number): number =>
  isDoji(x, i) && (lowerShadow(x, i) > shadowLong(x, i) || upperShadow(x, i) > shadowLong(x, i)) ? 100 : 0;

/** Rickshaw man: a long-legged doji whose body sits near the middle of its range. */
export function rickshawMan(x: CandleContext, i: number): number {
  if (!isDoji(x, i) || !(lowerShadow(x, i) > shadowLong(x, i)) || !(upperShadow(x, i) > shadowLong(x, i))) return 0;
  const middle = x.low[i]! + highLow(x, i) / 2;
  return bodyBottom(x, i) <= middle + near(x, i) && bodyTop(x, i) >= middle - near(x, i) ? 100 : 0;
}

/** Takuri: a dragonfly doji whose lower shadow is very long. */
export const takuri = (x: CandleContext, i: number): number =>
  isDoji(x, i) && upperShadow(x, i) < shadowVeryShort(x, i) && lowerShadow(x, i) > shadowVeryLong(x, i) ? 100 : 0;

/** Doji star: a long body, then a doji gapping away in its direction; signals against it. */
export function dojiStar(x: CandleContext, i: number): number {
  if (!(realBody(x, i - 1) > bodyLong(x, i - 1)) || !isDoji(x, i)) return 0;
  const first = color(x, i - 1);
  const gaps = first === 1 ? realBodyGapUp(x, i, i - 1) : realBodyGapDown(x, i, i - 1);
  return gaps ? -first * 100 : 0;
}

/**
 * Tristar: three dojis (all measured against the average before the first), the middle one
 * gapping away; −100 when it gaps up and the third's top is below its top, +100 mirrored.
 */
export function tristar(x: CandleContext, i: number): number {
  const limit = bodyDoji(x, i - 2);
  if (!(realBody(x, i - 2) <= limit && realBody(x, i - 1) <= limit && realBody(x, i) <= limit)) return 0;
  if (realBodyGapUp(x, i - 1, i - 2) && bodyTop(x, i) < bodyTop(x, i - 1)) return -100;
  if (realBodyGapDown(x, i - 1, i - 2) && bodyBottom(x, i) > bodyBottom(x, i - 1)) return 100;
  return 0;
}
