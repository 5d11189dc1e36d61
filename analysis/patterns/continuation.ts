/** Four- and five-candle patterns, as TA-Lib defines them. Each is called with its last candle. */
import type { CandleContext } from './candleContext.js';
import {
  bodyBottom,
  bodyLong,
  bodyShort,
  bodyTop,
  color,
  lowerShadow,
  near,
  realBody,
  realBodyGapDown,
  realBodyGapUp,
  shadowVeryShort,
  upperShadow,
} from './candleShapes.js';

/** Candle k opens within the previous body, Near included. */
const opensNear = (x: CandleContext, k: number): boolean =>
  x.open[k]! >= bodyBottom(x, k - 1) - near(x, k - 1) && x.open[k]! <= bodyTop(x, k - 1) + near(x, k - 1);

/** Three-line strike: three candles marching one way, then one opening beyond and closing back past the first open; sign of the march. */
export function threeLineStrike(x: CandleContext, i: number): number {
  const { open: o, close: c } = x;
  const side = color(x, i - 1);
  if (color(x, i - 3) !== side || color(x, i - 2) !== side || color(x, i) !== -side) return 0;
  if (!opensNear(x, i - 2) || !opensNear(x, i - 1)) return 0;
  if (side === 1)
    return c[i - 1]! > c[i - 2]! && c[i - 2]! > c[i - 3]! && o[i]! > c[i - 1]! && c[i]! < o[i - 3]! ? 100 : 0;
  return c[i - 1]! < c[i - 2]! && c[i - 2]! < c[i - 3]! && o[i]! < c[i - 1]! && c[i]! > o[i - 3]! ? -100 : 0;
}

/** Breakaway: a long candle, a gap, three candles drifting on, then one of the other colour closing into the gap; sign of the last. */
export function breakaway(x: CandleContext, i: number): number {
  const { open: o, high: h, low: l, close: c } = x;
  const first = color(x, i - 4);
  if (
    !(realBody(x, i - 4) > bodyLong(x, i - 4)) ||
    color(x, i - 3) !== first ||
    color(x, i - 1) !== first ||
    color(x, i) !== -first
  )
    return 0;
  if (first === -1) {
    const drifts =
      realBodyGapDown(x, i - 3, i - 4) &&
      h[i - 2]! < h[i - 3]! &&
      l[i - 2]! < l[i - 3]! &&
      h[i - 1]! < h[i - 2]! &&
      l[i - 1]! < l[i - 2]!;
    return drifts && c[i]! > o[i - 3]! && c[i]! < c[i - 4]! ? 100 : 0;
  }
  const drifts =
    realBodyGapUp(x, i - 3, i - 4) &&
    h[i - 2]! > h[i - 3]! &&
    l[i - 2]! > l[i - 3]! &&
    h[i - 1]! > h[i - 2]! &&
    l[i - 1]! > l[i - 2]!;
  return drifts && c[i]! < o[i - 3]! && c[i]! > c[i - 4]! ? -100 : 0;
}

/** Concealing baby swallow (+100): two black marubozu, a black candle gapping down whose upper shadow reaches back, engulfed by a fourth. */
export function concealingBabySwallow(x: CandleContext, i: number): number {
  const { high: h, low: l, close: c } = x;
  for (let k = i - 3; k <= i; k += 1) if (color(x, k) !== -1) return 0;
  for (let k = i - 3; k <= i - 2; k += 1)
    if (!(lowerShadow(x, k) < shadowVeryShort(x, k)) || !(upperShadow(x, k) < shadowVeryShort(x, k))) return 0;
  if (
    !realBodyGapDown(x, i - 1, i - 2) ||
    !(upperShadow(x, i - 1) > shadowVeryShort(x, i - 1)) ||
    !(h[i - 1]! > c[i - 2]!)
  )
    return 0;
  return h[i]! > h[i - 1]! && l[i]! < l[i - 1]! ? 100 : 0;
}

/** Ladder bottom (+100): three falling black candles, a fourth with an upper shadow, then a white one gapping above it. */
export function ladderBottom(x: CandleContext, i: number): number {
  const { open: o, high: h, close: c } = x;
  for (let k = i - 4; k <= i - 1; k += 1) if (color(x, k) !== -1) return 0;
  if (
    color(x, i) !== 1 ||
    !(o[i - 4]! > o[i - 3]! && o[i - 3]! > o[i - 2]! && c[i - 4]! > c[i - 3]! && c[i - 3]! > c[i - 2]!)
  )
    return 0;
  return upperShadow(x, i - 1) > shadowVeryShort(x, i - 1) && o[i]! > o[i - 1]! && c[i]! > h[i - 1]! ? 100 : 0;
}

/** TA-Lib's default penetration for mat hold. */
const MAT_HOLD_PENETRATION = 0.5;

/** Mat hold (+100): a long white candle, three small ones holding above its lower half after a gap, then a white one to new highs. */
export function matHold(x: CandleContext, i: number): number {
  const { open: o, high: h, close: c } = x;
  if (!(realBody(x, i - 4) > bodyLong(x, i - 4))) return 0;
  for (let k = i - 3; k <= i - 1; k += 1) if (!(realBody(x, k) < bodyShort(x, k))) return 0;
  if (color(x, i - 4) !== 1 || color(x, i - 3) !== -1 || color(x, i) !== 1 || !realBodyGapUp(x, i - 3, i - 4)) return 0;
  const floor = c[i - 4]! - realBody(x, i - 4) * MAT_HOLD_PENETRATION;
  if (!(
    bodyBottom(x, i - 2) < c[i - 4]! &&
    bodyBottom(x, i - 1) < c[i - 4]! &&
    bodyBottom(x, i - 2) > floor &&
    bodyBottom(x, i - 1) > floor
  ))
    return 0;
  if (!(bodyTop(x, i - 2) < o[i - 3]! && bodyTop(x, i - 1) < bodyTop(x, i - 2))) return 0;
  return o[i]! > c[i - 1]! && c[i]! > Math.max(h[i - 3]!, h[i - 2]!, h[i - 1]!) ? 100 : 0;
}

/** Rising/falling three methods: a long candle, three small ones against it inside its range, then a long one with it to a new close; sign of the first. */
export function riseFallThreeMethods(x: CandleContext, i: number): number {
  const { open: o, high: h, low: l, close: c } = x;
  if (!(realBody(x, i - 4) > bodyLong(x, i - 4)) || !(realBody(x, i) > bodyLong(x, i))) return 0;
  for (let k = i - 3; k <= i - 1; k += 1) if (!(realBody(x, k) < bodyShort(x, k))) return 0;
  const side = color(x, i - 4);
  if (color(x, i - 3) !== -side || color(x, i - 2) !== -side || color(x, i - 1) !== -side || color(x, i) !== side)
    return 0;
  for (let k = i - 3; k <= i - 1; k += 1) if (!(bodyBottom(x, k) < h[i - 4]! && bodyTop(x, k) > l[i - 4]!)) return 0;
  if (!(c[i - 2]! * side < c[i - 3]! * side && c[i - 1]! * side < c[i - 2]! * side)) return 0;
  return o[i]! * side > c[i - 1]! * side && c[i]! * side > c[i - 4]! * side ? side * 100 : 0;
}
