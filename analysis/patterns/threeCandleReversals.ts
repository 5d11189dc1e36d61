/** Three-candle reversal patterns other than stars and marches, as TA-Lib defines them. */
import type { CandleContext } from './candleContext.js';
import {
  bodyBottom,
  bodyLong,
  bodyShort,
  bodyTop,
  color,
  equal,
  lowerShadow,
  realBody,
  shadowLong,
  shadowVeryShort,
  upperShadow,
} from './candleShapes.js';

/** Three inside up/down: a harami whose third candle closes beyond the first open; signals against the first. */
export function threeInside(x: CandleContext, i: number): number {
  const { open: o, close: c } = x;
  if (!(realBody(x, i - 2) > bodyLong(x, i - 2)) || !(realBody(x, i - 1) <= bodyShort(x, i - 1))) return 0;
  if (!(bodyTop(x, i - 1) < bodyTop(x, i - 2) && bodyBottom(x, i - 1) > bodyBottom(x, i - 2))) return 0;
  const first = color(x, i - 2);
  if (first === 1 && color(x, i) === -1 && c[i]! < o[i - 2]!) return -100;
  if (first === -1 && color(x, i) === 1 && c[i]! > o[i - 2]!) return 100;
  return 0;
}

/** Three outside up/down: an engulfing whose third candle closes beyond the second; sign of the second. */
export function threeOutside(x: CandleContext, i: number): number {
  const { open: o, close: c } = x;
  const second = color(x, i - 1);
  if (second === color(x, i - 2)) return 0;
  if (second === 1) return c[i - 1]! > o[i - 2]! && o[i - 1]! < c[i - 2]! && c[i]! > c[i - 1]! ? 100 : 0;
  return o[i - 1]! > c[i - 2]! && c[i - 1]! < o[i - 2]! && c[i]! < c[i - 1]! ? -100 : 0;
}

/** Three stars in the south (+100): three black candles of shrinking range with ever higher lows. */
export function threeStarsInSouth(x: CandleContext, i: number): number {
  const { open: o, high: h, low: l, close: c } = x;
  if (color(x, i - 2) !== -1 || color(x, i - 1) !== -1 || color(x, i) !== -1) return 0;
  if (!(realBody(x, i - 2) > bodyLong(x, i - 2)) || !(lowerShadow(x, i - 2) > shadowLong(x, i - 2))) return 0;
  if (!(realBody(x, i - 1) < realBody(x, i - 2)) || !(o[i - 1]! > c[i - 2]! && o[i - 1]! <= h[i - 2]!)) return 0;
  if (!(l[i - 1]! < c[i - 2]!) || !(l[i - 1]! >= l[i - 2]!) || !(lowerShadow(x, i - 1) > shadowVeryShort(x, i - 1)))
    return 0;
  if (
    !(realBody(x, i) < bodyShort(x, i)) ||
    !(lowerShadow(x, i) < shadowVeryShort(x, i)) ||
    !(upperShadow(x, i) < shadowVeryShort(x, i))
  )
    return 0;
  return l[i]! > l[i - 1]! && h[i]! < h[i - 1]! ? 100 : 0;
}

/** Stick sandwich (+100): black, white trading above its close, black closing where the first did. */
export function stickSandwich(x: CandleContext, i: number): number {
  const { low: l, close: c } = x;
  if (color(x, i - 2) !== -1 || color(x, i - 1) !== 1 || color(x, i) !== -1 || !(l[i - 1]! > c[i - 2]!)) return 0;
  const tolerance = equal(x, i - 2);
  return c[i]! <= c[i - 2]! + tolerance && c[i]! >= c[i - 2]! - tolerance ? 100 : 0;
}

/** Unique three river (+100): long black, a black harami-like candle with a lower low, then a small white one. */
export function uniqueThreeRiver(x: CandleContext, i: number): number {
  const { open: o, low: l, close: c } = x;
  if (!(realBody(x, i - 2) > bodyLong(x, i - 2)) || color(x, i - 2) !== -1 || color(x, i - 1) !== -1) return 0;
  if (!(c[i - 1]! > c[i - 2]! && o[i - 1]! <= o[i - 2]! && l[i - 1]! < l[i - 2]!)) return 0;
  return realBody(x, i) < bodyShort(x, i) && color(x, i) === 1 && o[i]! > l[i - 1]! ? 100 : 0;
}
