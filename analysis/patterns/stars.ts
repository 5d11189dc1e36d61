/**
 * Three-candle star patterns, as TA-Lib defines them: a long body, a small body (or doji)
 * gapping away from it, then a body of the other colour closing well into the first.
 */
import type { CandleContext } from './candleContext.js';
import {
  bodyDoji,
  bodyLong,
  bodyShort,
  candleGapDown,
  candleGapUp,
  color,
  realBody,
  realBodyGapDown,
  realBodyGapUp,
} from './candleShapes.js';

/** TA-Lib's default penetration of the third close into the first body. */
const PENETRATION = 0.3;

type StarLimit = (x: CandleContext, j: number) => number;

/** side = the star's direction: +1 after a long black candle (morning), −1 after a white one (evening). */
function star(side: 1 | -1, starLimit: StarLimit) {
  return (x: CandleContext, i: number): number => {
    const c = x.close;
    if (!(realBody(x, i - 2) > bodyLong(x, i - 2)) || color(x, i - 2) !== -side) return 0;
    if (!(realBody(x, i - 1) <= starLimit(x, i - 1))) return 0;
    const gaps = side === 1 ? realBodyGapDown(x, i - 1, i - 2) : realBodyGapUp(x, i - 1, i - 2);
    if (!gaps || !(realBody(x, i) > bodyShort(x, i)) || color(x, i) !== side) return 0;
    const penetration = realBody(x, i - 2) * PENETRATION;
    const closesInto = side === 1 ? c[i]! > c[i - 2]! + penetration : c[i]! < c[i - 2]! - penetration;
    return closesInto ? side * 100 : 0;
  };
}

export const morningStar = star(1, bodyShort);
export const eveningStar = star(-1, bodyShort);
export const morningDojiStar = star(1, bodyDoji);
export const eveningDojiStar = star(-1, bodyDoji);

/** Abandoned baby: a doji star with full gaps (shadows included) on both sides; sign of the third. */
export function abandonedBaby(x: CandleContext, i: number): number {
  const c = x.close;
  if (
    !(realBody(x, i - 2) > bodyLong(x, i - 2)) ||
    !(realBody(x, i - 1) <= bodyDoji(x, i - 1)) ||
    !(realBody(x, i) > bodyShort(x, i))
  )
    return 0;
  const penetration = realBody(x, i - 2) * PENETRATION;
  const first = color(x, i - 2);
  const third = color(x, i);
  if (
    first === 1 &&
    third === -1 &&
    c[i]! < c[i - 2]! - penetration &&
    candleGapUp(x, i - 1, i - 2) &&
    candleGapDown(x, i, i - 1)
  )
    return -100;
  if (
    first === -1 &&
    third === 1 &&
    c[i]! > c[i - 2]! + penetration &&
    candleGapDown(x, i - 1, i - 2) &&
    candleGapUp(x, i, i - 1)
  )
    return 100;
  return 0;
}
