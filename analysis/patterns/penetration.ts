/**
 * Two-candle patterns where the second candle opens beyond the first and closes back into
 * (or up to) its body, as TA-Lib defines them; the depth decides the name.
 */
import type { CandleContext } from './candleContext.js';
import { bodyLong, color, equal, realBody } from './candleShapes.js';

/** TA-Lib's default penetration for dark cloud cover and piercing: half the first body. */
const HALF = 0.5;

/** Dark cloud cover (−100): long white, then black opening above its high, closing below its middle. */
export function darkCloudCover(x: CandleContext, i: number): number {
  const { open: o, high: h, close: c } = x;
  if (color(x, i - 1) !== 1 || !(realBody(x, i - 1) > bodyLong(x, i - 1)) || color(x, i) !== -1) return 0;
  return o[i]! > h[i - 1]! && c[i]! > o[i - 1]! && c[i]! < c[i - 1]! - realBody(x, i - 1) * HALF ? -100 : 0;
}

/** Piercing (+100): long black, then long white opening below its low, closing above its middle. */
export function piercing(x: CandleContext, i: number): number {
  const { open: o, low: l, close: c } = x;
  if (
    color(x, i - 1) !== -1 ||
    !(realBody(x, i - 1) > bodyLong(x, i - 1)) ||
    color(x, i) !== 1 ||
    !(realBody(x, i) > bodyLong(x, i))
  )
    return 0;
  return o[i]! < l[i - 1]! && c[i]! < o[i - 1]! && c[i]! > c[i - 1]! + realBody(x, i - 1) * HALF ? 100 : 0;
}

/** A long black candle followed by a white one opening below its low. */
const blackThenWhiteBelow = (x: CandleContext, i: number): boolean =>
  color(x, i - 1) === -1 && realBody(x, i - 1) > bodyLong(x, i - 1) && color(x, i) === 1 && x.open[i]! < x.low[i - 1]!;

/** On-neck (−100): the white candle closes at the black candle's low. */
export function onNeck(x: CandleContext, i: number): number {
  if (!blackThenWhiteBelow(x, i)) return 0;
  const { low: l, close: c } = x;
  const tolerance = equal(x, i - 1);
  return c[i]! <= l[i - 1]! + tolerance && c[i]! >= l[i - 1]! - tolerance ? -100 : 0;
}

/** In-neck (−100): the white candle closes at, or just into, the black candle's close. */
export function inNeck(x: CandleContext, i: number): number {
  if (!blackThenWhiteBelow(x, i)) return 0;
  const c = x.close;
  return c[i]! <= c[i - 1]! + equal(x, i - 1) && c[i]! >= c[i - 1]! ? -100 : 0;
}

/** Thrusting (−100): the white candle closes into the black body, but not past its middle. */
export function thrusting(x: CandleContext, i: number): number {
  if (!blackThenWhiteBelow(x, i)) return 0;
  const c = x.close;
  return c[i]! > c[i - 1]! + equal(x, i - 1) && c[i]! <= c[i - 1]! + realBody(x, i - 1) * HALF ? -100 : 0;
}
