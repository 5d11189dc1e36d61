/**
 * Triangles: boundaries that converge (the gap at the end ≤ 60% of the gap at the start).
 * Ascending: flat top, rising lows (bullish). Descending: falling highs, flat bottom (bearish).
 * Symmetric: falling highs and rising lows; a continuation, so its direction is the move into it.
 */
import type { Candle } from '../candles.js';
import { converging, FLAT, type Boundaries } from './boundaryLines.js';
import type { BoundedKind } from './chartPatternTypes.js';

export function classifyTriangle(b: Boundaries, candles: readonly Candle[]): BoundedKind | undefined {
  if (!converging(b, 0.6)) return undefined;
  const upperFlat = Math.abs(b.upperChange) <= FLAT;
  const lowerFlat = Math.abs(b.lowerChange) <= FLAT;
  if (upperFlat && b.lowerChange > FLAT) return { pattern: 'ascending_triangle', bullish: true };
  if (lowerFlat && b.upperChange < -FLAT) return { pattern: 'descending_triangle', bullish: false };
  if (b.upperChange < -FLAT && b.lowerChange > FLAT) {
    const before = candles[Math.max(0, 2 * b.start - b.end)]!.close;
    return { pattern: 'symmetric_triangle', bullish: candles[b.start]!.close >= before };
  }
  return undefined;
}
