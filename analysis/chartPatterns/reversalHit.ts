/** Builds the hit of a pivot-based reversal pattern (double top/bottom, head and shoulders) from its named pivots. */
import type { Candle } from '../candles.js';
import type { ChartPatternHit, ChartPatternName, Pivot } from './chartPatternTypes.js';

export interface ReversalShape {
  pattern: ChartPatternName;
  top: boolean;
  /** The defining pivots, first to last, with their labels. */
  pivots: readonly (readonly [string, Pivot])[];
  /** The neckline price where the pattern ends. */
  level: (endIndex: number) => number;
  /** Index of the candle that closed through the neckline, when one did. */
  confirmedIndex: number | undefined;
  /** Quality in [0, 1] before confirmation is added, and the weight confirmation gets. */
  quality: number;
  confirmationWeight: number;
}

export function reversalHit(candles: readonly Candle[], shape: ReversalShape): ChartPatternHit {
  const first = shape.pivots[0]![1];
  const last = shape.pivots.at(-1)![1];
  const confirmed = shape.confirmedIndex !== undefined;
  const endIndex = shape.confirmedIndex ?? last.index;
  return {
    pattern: shape.pattern,
    direction: shape.top ? 'bearish' : 'bullish',
    startIndex: first.index,
    endIndex,
    startTime: first.time,
    endTime: candles[endIndex]!.time,
    points: shape.pivots.map(([label, pivot]) => ({ label, index: pivot.index, time: pivot.time, price: pivot.price })),
    level: shape.level(endIndex),
    confirmed,
    ...(shape.confirmedIndex !== undefined ? { confirmedTime: candles[shape.confirmedIndex]!.time } : {}),
    confidence: Math.round((shape.quality + (confirmed ? shape.confirmationWeight : 0)) * 100) / 100,
  };
}
