/**
 * Two-candle patterns where the second candle covers, sits inside or meets the first, as
 * TA-Lib defines them. Each is called with the index of the second candle.
 */
import type { CandleContext } from './candleContext.js';
import {
  bodyBottom,
  bodyDoji,
  bodyLong,
  bodyShort,
  bodyTop,
  candleGapDown,
  candleGapUp,
  color,
  equal,
  lowerShadow,
  realBody,
  shadowVeryShort,
  upperShadow,
} from './candleShapes.js';

/**
 * Engulfing: the second body, of the other colour, covers the first; sign of the second.
 * One shared end (an open on the previous close, or a close on its open) is allowed and
 * marks a weaker hit: ±80 instead of ±100.
 */
export function engulfing(x: CandleContext, i: number): number {
  const { open: o, close: c } = x;
  const second = color(x, i);
  if (second === color(x, i - 1)) return 0;
  const covers =
    second === 1
      ? (c[i]! >= o[i - 1]! && o[i]! < c[i - 1]!) || (c[i]! > o[i - 1]! && o[i]! <= c[i - 1]!)
      : (o[i]! >= c[i - 1]! && c[i]! < o[i - 1]!) || (o[i]! > c[i - 1]! && c[i]! <= o[i - 1]!);
  if (!covers) return 0;
  return second * (o[i]! !== c[i - 1]! && c[i]! !== o[i - 1]! ? 100 : 80);
}

/** 100 when the second body lies strictly inside the first, 80 when it only touches an end, else 0. */
function insideness(x: CandleContext, i: number): number {
  const top = bodyTop(x, i);
  const bottom = bodyBottom(x, i);
  const outerTop = bodyTop(x, i - 1);
  const outerBottom = bodyBottom(x, i - 1);
  if (top < outerTop && bottom > outerBottom) return 100;
  return top <= outerTop && bottom >= outerBottom ? 80 : 0;
}

/** Harami: a long body, then a short one inside it; signals against the first (±80 when the bodies share an end). */
export const harami = (x: CandleContext, i: number): number =>
  realBody(x, i - 1) > bodyLong(x, i - 1) && realBody(x, i) <= bodyShort(x, i)
    ? -color(x, i - 1) * insideness(x, i)
    : 0;

/** Harami cross: a long body, then a doji inside it; signals against the first (±80 when they share an end). */
export const haramiCross = (x: CandleContext, i: number): number =>
  realBody(x, i - 1) > bodyLong(x, i - 1) && realBody(x, i) <= bodyDoji(x, i) ? -color(x, i - 1) * insideness(x, i) : 0;

/** Homing pigeon (+100): a long black body, then a short black one inside it. */
export function homingPigeon(x: CandleContext, i: number): number {
  const { open: o, close: c } = x;
  if (color(x, i - 1) !== -1 || color(x, i) !== -1) return 0;
  return realBody(x, i - 1) > bodyLong(x, i - 1) &&
    realBody(x, i) <= bodyShort(x, i) &&
    o[i]! < o[i - 1]! &&
    c[i]! > c[i - 1]!
    ? 100
    : 0;
}

/** Counterattack: two long bodies of opposite colour closing at the same price; sign of the second. */
export function counterattack(x: CandleContext, i: number): number {
  const c = x.close;
  const second = color(x, i);
  if (second === color(x, i - 1) || !(realBody(x, i - 1) > bodyLong(x, i - 1)) || !(realBody(x, i) > bodyLong(x, i)))
    return 0;
  const tolerance = equal(x, i - 1);
  return c[i]! <= c[i - 1]! + tolerance && c[i]! >= c[i - 1]! - tolerance ? second * 100 : 0;
}

/** Matching low (+100): two black candles closing at the same price. */
export function matchingLow(x: CandleContext, i: number): number {
  const c = x.close;
  if (color(x, i - 1) !== -1 || color(x, i) !== -1) return 0;
  const tolerance = equal(x, i - 1);
  return c[i]! <= c[i - 1]! + tolerance && c[i]! >= c[i - 1]! - tolerance ? 100 : 0;
}

/** Separating lines: opposite colours opening at the same price, the second a long belt-hold. */
export function separatingLines(x: CandleContext, i: number): number {
  const o = x.open;
  const second = color(x, i);
  if (second === color(x, i - 1)) return 0;
  const tolerance = equal(x, i - 1);
  if (!(o[i]! <= o[i - 1]! + tolerance && o[i]! >= o[i - 1]! - tolerance) || !(realBody(x, i) > bodyLong(x, i)))
    return 0;
  const openingShadow = second === 1 ? lowerShadow(x, i) : upperShadow(x, i);
  return openingShadow < shadowVeryShort(x, i) ? second * 100 : 0;
}

/** Two marubozu of opposite colour with a gap between them (the kicking shape). */
function kickingShape(x: CandleContext, i: number): boolean {
  const first = color(x, i - 1);
  if (first === color(x, i)) return false;
  for (let k = i - 1; k <= i; k += 1) {
    const v = shadowVeryShort(x, k);
    if (!(realBody(x, k) > bodyLong(x, k)) || !(upperShadow(x, k) < v) || !(lowerShadow(x, k) < v)) return false;
  }
  return first === -1 ? candleGapUp(x, i, i - 1) : candleGapDown(x, i, i - 1);
}

/** Kicking: sign of the second marubozu. */
export const kicking = (x: CandleContext, i: number): number => (kickingShape(x, i) ? color(x, i) * 100 : 0);
/** Kicking by length: sign of the longer marubozu. */
export const kickingByLength = (x: CandleContext, i: number): number =>
  kickingShape(x, i) ? (realBody(x, i) > realBody(x, i - 1) ? color(x, i) : color(x, i - 1)) * 100 : 0;
