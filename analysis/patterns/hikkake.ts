/**
 * Hikkake and modified hikkake, as TA-Lib defines them. They are stateful: a pattern bar
 * reports ±100, and a close beyond the inside bar within three bars after it confirms it
 * (±200 on the confirming bar). TA-Lib primes that state on the three bars before its first
 * output bar, so the scan starts there too.
 */
import type { CandleContext } from './candleContext.js';
import { near } from './candleShapes.js';

type PatternAt = (x: CandleContext, i: number) => number;

/** An inside bar (i−1 inside i−2) followed by a bar breaking out of it on both ends. */
const hikkakePattern: PatternAt = (x, i) => {
  const { high: h, low: l } = x;
  if (!(h[i - 1]! < h[i - 2]! && l[i - 1]! > l[i - 2]!)) return 0;
  if (h[i]! < h[i - 1]! && l[i]! < l[i - 1]!) return 100;
  if (h[i]! > h[i - 1]! && l[i]! > l[i - 1]!) return -100;
  return 0;
};

/** Two nested inside bars, the middle one closing near its low (bull) or high (bear), then the breakout bar. */
const modifiedPattern: PatternAt = (x, i) => {
  const { high: h, low: l, close: c } = x;
  if (!(h[i - 2]! < h[i - 3]! && l[i - 2]! > l[i - 3]! && h[i - 1]! < h[i - 2]! && l[i - 1]! > l[i - 2]!)) return 0;
  if (h[i]! < h[i - 1]! && l[i]! < l[i - 1]! && c[i - 2]! <= l[i - 2]! + near(x, i - 2)) return 100;
  if (h[i]! > h[i - 1]! && l[i]! > l[i - 1]! && c[i - 2]! >= h[i - 2]! - near(x, i - 2)) return -100;
  return 0;
};

function scanner(pattern: PatternAt, lookback: number) {
  return (x: CandleContext, emit: (index: number, signal: number) => void): void => {
    const { high: h, low: l, close: c } = x;
    let patternIndex = 0;
    let patternResult = 0;
    for (let i = lookback - 3; i < x.close.length; i += 1) {
      const found = pattern(x, i);
      if (found !== 0) {
        patternResult = found;
        patternIndex = i;
        if (i >= lookback) emit(i, found);
      } else if (
        i <= patternIndex + 3 &&
        ((patternResult > 0 && c[i]! > h[patternIndex - 1]!) || (patternResult < 0 && c[i]! < l[patternIndex - 1]!))
      ) {
        if (i >= lookback) emit(i, patternResult + (patternResult > 0 ? 100 : -100));
        patternIndex = 0;
      }
    }
  };
}

export const HIKKAKE_LOOKBACK = 5;
export const HIKKAKE_MODIFIED_LOOKBACK = 10;
export const hikkake = scanner(hikkakePattern, HIKKAKE_LOOKBACK);
export const hikkakeModified = scanner(modifiedPattern, HIKKAKE_MODIFIED_LOOKBACK);
