/**
 * One-candle patterns that are not dojis, as TA-Lib defines them. Each returns TA-Lib's
 * output for candle i: 0, or ±100 (its sign the candle's colour unless stated).
 */
import type { CandleContext } from './candleContext.js';
import {
  bodyBottom,
  bodyLong,
  bodyShort,
  color,
  lowerShadow,
  near,
  realBody,
  realBodyGapDown,
  realBodyGapUp,
  shadowLong,
  shadowShort,
  shadowVeryLong,
  shadowVeryShort,
  upperShadow,
} from './candleShapes.js';

/** Belt-hold: a long body opening on its extreme (no shadow on the opening side). */
export function beltHold(x: CandleContext, i: number): number {
  if (!(realBody(x, i) > bodyLong(x, i))) return 0;
  const side = color(x, i);
  const openingShadow = side === 1 ? lowerShadow(x, i) : upperShadow(x, i);
  return openingShadow < shadowVeryShort(x, i) ? side * 100 : 0;
}

/** Closing marubozu: a long body closing on its extreme. */
export function closingMarubozu(x: CandleContext, i: number): number {
  if (!(realBody(x, i) > bodyLong(x, i))) return 0;
  const side = color(x, i);
  const closingShadow = side === 1 ? upperShadow(x, i) : lowerShadow(x, i);
  return closingShadow < shadowVeryShort(x, i) ? side * 100 : 0;
}

/** Marubozu: a long body with very short shadows at both ends. */
export function marubozu(x: CandleContext, i: number): number {
  const v = shadowVeryShort(x, i);
  return realBody(x, i) > bodyLong(x, i) && upperShadow(x, i) < v && lowerShadow(x, i) < v ? color(x, i) * 100 : 0;
}

/** Long line: a long body with short shadows. */
export function longLine(x: CandleContext, i: number): number {
  const s = shadowShort(x, i);
  return realBody(x, i) > bodyLong(x, i) && upperShadow(x, i) < s && lowerShadow(x, i) < s ? color(x, i) * 100 : 0;
}

/** Short line: a short body with short shadows. */
export function shortLine(x: CandleContext, i: number): number {
  const s = shadowShort(x, i);
  return realBody(x, i) < bodyShort(x, i) && upperShadow(x, i) < s && lowerShadow(x, i) < s ? color(x, i) * 100 : 0;
}

/** Spinning top: a short body with both shadows longer than it. */
export function spinningTop(x: CandleContext, i: number): number {
  const body = realBody(x, i);
  return body < bodyShort(x, i) && upperShadow(x, i) > body && lowerShadow(x, i) > body ? color(x, i) * 100 : 0;
}

/** High wave: a short body with both shadows very long (over twice the body). */
export function highWave(x: CandleContext, i: number): number {
  const v = shadowVeryLong(x, i);
  return realBody(x, i) < bodyShort(x, i) && upperShadow(x, i) > v && lowerShadow(x, i) > v ? color(x, i) * 100 : 0;
}

/** The hammer shape: short body, long lower shadow, very short upper shadow. */
const hammerShape = (x: CandleContext, i: number): boolean =>
  realBody(x, i) < bodyShort(x, i) && lowerShadow(x, i) > shadowLong(x, i) && upperShadow(x, i) < shadowVeryShort(x, i);
/** The inverted shape: short body, long upper shadow, very short lower shadow. */
const invertedShape = (x: CandleContext, i: number): boolean =>
  realBody(x, i) < bodyShort(x, i) && upperShadow(x, i) > shadowLong(x, i) && lowerShadow(x, i) < shadowVeryShort(x, i);

/** Hammer (+100): the hammer shape with its body at or near the previous candle's low. */
export const hammer = (x: CandleContext, i: number): number =>
  hammerShape(x, i) && bodyBottom(x, i) <= x.low[i - 1]! + near(x, i - 1) ? 100 : 0;
/** Hanging man (−100): the hammer shape with its body at or near the previous candle's high. */
export const hangingMan = (x: CandleContext, i: number): number =>
  hammerShape(x, i) && bodyBottom(x, i) >= x.high[i - 1]! - near(x, i - 1) ? -100 : 0;
/** Inverted hammer (+100): the inverted shape, its body gapping below the previous body. */
export const invertedHammer = (x: CandleContext, i: number): number =>
  invertedShape(x, i) && realBodyGapDown(x, i, i - 1) ? 100 : 0;
/** Shooting star (−100): the inverted shape, its body gapping above the previous body. */
export const shootingStar = (x: CandleContext, i: number): number =>
  invertedShape(x, i) && realBodyGapUp(x, i, i - 1) ? -100 : 0;
