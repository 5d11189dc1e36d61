/**
 * Three candles of one colour marching on (soldiers, crows) and the patterns where such a
 * march tires (advance block, stalled) or is answered by crows, as TA-Lib defines them.
 */
import type { CandleContext } from './candleContext.js';
import {
  bodyLong,
  bodyShort,
  color,
  equal,
  far,
  near,
  realBody,
  realBodyGapUp,
  shadowLong,
  shadowShort,
  shadowVeryShort,
  upperShadow,
  lowerShadow,
} from './candleShapes.js';

const allColour = (x: CandleContext, i: number, side: 1 | -1, count: number): boolean => {
  for (let k = i - count + 1; k <= i; k += 1) if (color(x, k) !== side) return false;
  return true;
};

/** Candle k opens within the previous body (up to Near above its close) and above its open. */
const opensUpWithin = (x: CandleContext, k: number): boolean =>
  x.open[k]! > x.open[k - 1]! && x.open[k]! <= x.close[k - 1]! + near(x, k - 1);

/** Three black crows (−100): after a white candle, three black ones closing near their lows, each opening inside the previous body. */
export function threeBlackCrows(x: CandleContext, i: number): number {
  const { open: o, high: h, close: c } = x;
  if (color(x, i - 3) !== 1 || !allColour(x, i, -1, 3)) return 0;
  for (let k = i - 2; k <= i; k += 1) if (!(lowerShadow(x, k) < shadowVeryShort(x, k))) return 0;
  if (!(o[i - 1]! < o[i - 2]! && o[i - 1]! > c[i - 2]! && o[i]! < o[i - 1]! && o[i]! > c[i - 1]!)) return 0;
  return h[i - 3]! > c[i - 2]! && c[i - 2]! > c[i - 1]! && c[i - 1]! > c[i]! ? -100 : 0;
}

/** Three white soldiers (+100): three white candles closing near their highs, each opening within the previous body, none much shorter. */
export function threeWhiteSoldiers(x: CandleContext, i: number): number {
  const c = x.close;
  if (!allColour(x, i, 1, 3)) return 0;
  for (let k = i - 2; k <= i; k += 1) if (!(upperShadow(x, k) < shadowVeryShort(x, k))) return 0;
  if (!(c[i]! > c[i - 1]! && c[i - 1]! > c[i - 2]!) || !opensUpWithin(x, i - 1) || !opensUpWithin(x, i)) return 0;
  return realBody(x, i - 1) > realBody(x, i - 2) - far(x, i - 2) &&
    realBody(x, i) > realBody(x, i - 1) - far(x, i - 1) &&
    realBody(x, i) > bodyShort(x, i)
    ? 100
    : 0;
}

/** Advance block (−100): three white soldiers losing strength (shrinking bodies, growing upper shadows). */
export function advanceBlock(x: CandleContext, i: number): number {
  const c = x.close;
  if (
    !allColour(x, i, 1, 3) ||
    !(c[i]! > c[i - 1]! && c[i - 1]! > c[i - 2]!) ||
    !opensUpWithin(x, i - 1) ||
    !opensUpWithin(x, i)
  )
    return 0;
  if (!(realBody(x, i - 2) > bodyLong(x, i - 2)) || !(upperShadow(x, i - 2) < shadowShort(x, i - 2))) return 0;
  const b2 = realBody(x, i - 2);
  const b1 = realBody(x, i - 1);
  const b0 = realBody(x, i);
  const weakening =
    (b1 < b2 - far(x, i - 2) && b0 < b1 + near(x, i - 1)) ||
    b0 < b1 - far(x, i - 1) ||
    (b0 < b1 && b1 < b2 && (upperShadow(x, i) > shadowShort(x, i) || upperShadow(x, i - 1) > shadowShort(x, i - 1))) ||
    (b0 < b1 && upperShadow(x, i) > shadowLong(x, i));
  return weakening ? -100 : 0;
}

/** Stalled pattern (−100): two long white candles, then a small one riding on the second's shoulder. */
export function stalledPattern(x: CandleContext, i: number): number {
  const { open: o, close: c } = x;
  if (!allColour(x, i, 1, 3) || !(c[i]! > c[i - 1]! && c[i - 1]! > c[i - 2]!)) return 0;
  if (
    !(realBody(x, i - 2) > bodyLong(x, i - 2)) ||
    !(realBody(x, i - 1) > bodyLong(x, i - 1)) ||
    !(upperShadow(x, i - 1) < shadowVeryShort(x, i - 1))
  )
    return 0;
  if (!opensUpWithin(x, i - 1) || !(realBody(x, i) < bodyShort(x, i))) return 0;
  return o[i]! >= c[i - 1]! - realBody(x, i) - near(x, i - 1) ? -100 : 0;
}

/** Candle k opens at the previous close, Equal included. */
const opensAtPreviousClose = (x: CandleContext, k: number): boolean =>
  x.open[k]! <= x.close[k - 1]! + equal(x, k - 1) && x.open[k]! >= x.close[k - 1]! - equal(x, k - 1);

/** Identical three crows (−100): three black candles, each opening at the previous close. */
export function identicalThreeCrows(x: CandleContext, i: number): number {
  const c = x.close;
  if (!allColour(x, i, -1, 3)) return 0;
  for (let k = i - 2; k <= i; k += 1) if (!(lowerShadow(x, k) < shadowVeryShort(x, k))) return 0;
  if (!(c[i - 2]! > c[i - 1]! && c[i - 1]! > c[i]!)) return 0;
  return opensAtPreviousClose(x, i - 1) && opensAtPreviousClose(x, i) ? -100 : 0;
}

/** Two crows (−100): a long white candle, a black one gapping up, then a black one closing into the white body. */
export function twoCrows(x: CandleContext, i: number): number {
  const { open: o, close: c } = x;
  if (
    color(x, i - 2) !== 1 ||
    !(realBody(x, i - 2) > bodyLong(x, i - 2)) ||
    color(x, i - 1) !== -1 ||
    !realBodyGapUp(x, i - 1, i - 2)
  )
    return 0;
  return color(x, i) === -1 && o[i]! < o[i - 1]! && o[i]! > c[i - 1]! && c[i]! > o[i - 2]! && c[i]! < c[i - 2]!
    ? -100
    : 0;
}

/** Upside gap two crows (−100): a long white candle, a small black one gapping up, then a black one engulfing it, still above the white close. */
export function upsideGapTwoCrows(x: CandleContext, i: number): number {
  const { open: o, close: c } = x;
  if (
    color(x, i - 2) !== 1 ||
    !(realBody(x, i - 2) > bodyLong(x, i - 2)) ||
    color(x, i - 1) !== -1 ||
    !(realBody(x, i - 1) <= bodyShort(x, i - 1))
  )
    return 0;
  if (!realBodyGapUp(x, i - 1, i - 2)) return 0;
  return color(x, i) === -1 && o[i]! > o[i - 1]! && c[i]! < c[i - 1]! && c[i]! > c[i - 2]! ? -100 : 0;
}
