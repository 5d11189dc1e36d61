/**
 * Swing pivots by zigzag: a high becomes a pivot once price has fallen a threshold below it,
 * a low once price has risen the threshold above it. The threshold is a multiple of the local
 * average range, so pivots mean the same on quiet and wild stretches. Pivots alternate
 * high, low, high… by construction.
 */
import type { Candle } from '../candles.js';
import type { Pivot } from './chartPatternTypes.js';

/** Swing size, in average candle ranges, that confirms a pivot. */
export const PIVOT_THRESHOLD = 2.5;

export function findPivots(
  candles: readonly Candle[],
  averageRange: ArrayLike<number>,
  fallbackRange: number,
  threshold = PIVOT_THRESHOLD,
): Pivot[] {
  const pivots: Pivot[] = [];
  const first = candles[0];
  if (!first) return pivots;
  let direction: 'up' | 'down' | undefined;
  let high = { price: first.high, index: 0 };
  let low = { price: first.low, index: 0 };
  const push = (kind: Pivot['kind'], point: { price: number; index: number }) =>
    pivots.push({ kind, index: point.index, time: candles[point.index]!.time, price: point.price });

  for (let index = 1; index < candles.length; index += 1) {
    const candle = candles[index]!;
    const local = averageRange[index]!;
    const swing = threshold * (local > 0 ? local : fallbackRange);
    if (direction !== 'down' && candle.high > high.price) high = { price: candle.high, index };
    if (direction !== 'up' && candle.low < low.price) low = { price: candle.low, index };
    if (direction !== 'down' && high.index < index && high.price - candle.low >= swing) {
      push('high', high);
      direction = 'down';
      low = { price: candle.low, index };
    } else if (direction !== 'up' && low.index < index && candle.high - low.price >= swing) {
      push('low', low);
      direction = 'up';
      high = { price: candle.high, index };
    }
  }
  return pivots;
}
