/** Continuation patterns built around a gap between real bodies, as TA-Lib defines them. */
import type { CandleContext } from './candleContext.js';
import { bodyBottom, bodyTop, color, equal, near, realBody, realBodyGapDown, realBodyGapUp } from './candleShapes.js';

/** Up/down-gap side-by-side white lines: two similar white candles side by side beyond a gap; sign of the gap. */
export function gapSideSideWhite(x: CandleContext, i: number): number {
  const o = x.open;
  const up = realBodyGapUp(x, i - 1, i - 2) && realBodyGapUp(x, i, i - 2);
  const down = realBodyGapDown(x, i - 1, i - 2) && realBodyGapDown(x, i, i - 2);
  if ((!up && !down) || color(x, i - 1) !== 1 || color(x, i) !== 1) return 0;
  const size = near(x, i - 1);
  const tolerance = equal(x, i - 1);
  const similar = realBody(x, i) >= realBody(x, i - 1) - size && realBody(x, i) <= realBody(x, i - 1) + size;
  const sameOpen = o[i]! >= o[i - 1]! - tolerance && o[i]! <= o[i - 1]! + tolerance;
  return similar && sameOpen ? (realBodyGapUp(x, i - 1, i - 2) ? 100 : -100) : 0;
}

/** Tasuki gap: a gap, a candle with it, then one of the other colour closing into the gap but not across it; sign of the gap. */
export function tasukiGap(x: CandleContext, i: number): number {
  const { open: o, close: c } = x;
  const similarBodies = Math.abs(realBody(x, i - 1) - realBody(x, i)) < near(x, i - 1);
  if (realBodyGapUp(x, i - 1, i - 2) && color(x, i - 1) === 1 && color(x, i) === -1) {
    return o[i]! < c[i - 1]! && o[i]! > o[i - 1]! && c[i]! < o[i - 1]! && c[i]! > bodyTop(x, i - 2) && similarBodies
      ? 100
      : 0;
  }
  if (realBodyGapDown(x, i - 1, i - 2) && color(x, i - 1) === -1 && color(x, i) === 1) {
    return o[i]! < o[i - 1]! && o[i]! > c[i - 1]! && c[i]! > o[i - 1]! && c[i]! < bodyBottom(x, i - 2) && similarBodies
      ? -100
      : 0;
  }
  return 0;
}

/** Upside/downside gap three methods: a gap between two same-colour candles, closed by a third of the other colour; sign of the first two. */
export function xSideGapThreeMethods(x: CandleContext, i: number): number {
  const { open: o, close: c } = x;
  const first = color(x, i - 2);
  if (first !== color(x, i - 1) || color(x, i) !== -first) return 0;
  if (!(
    o[i]! < bodyTop(x, i - 1) &&
    o[i]! > bodyBottom(x, i - 1) &&
    c[i]! < bodyTop(x, i - 2) &&
    c[i]! > bodyBottom(x, i - 2)
  ))
    return 0;
  const gaps = first === 1 ? realBodyGapUp(x, i - 1, i - 2) : realBodyGapDown(x, i - 1, i - 2);
  return gaps ? first * 100 : 0;
}
