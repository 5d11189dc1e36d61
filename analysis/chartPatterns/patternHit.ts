/** Builds a chart-pattern hit from its named points, its lines and what became of it. */
import type { Candle } from '../candles.js';
import type { ChartPatternHit, ChartPatternName, PatternLine, PatternPoint } from './chartPatternTypes.js';
import type { Outcome } from './patternOutcome.js';

export interface PatternShape {
  pattern: ChartPatternName;
  bullish: boolean;
  /** The defining points, first to last, with their labels. */
  points: readonly (readonly [string, { index: number; price: number }])[];
  /** The trigger line's price at a candle (neckline, breakout boundary). */
  level: (index: number) => number;
  invalidation: number;
  outcome: Outcome;
  /** Quality in [0, 1) before confirmation is added, and the weight confirmation gets. */
  quality: number;
  confirmationWeight: number;
  volatility: number;
  lines?: PatternLine[];
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

export function patternHit(candles: readonly Candle[], shape: PatternShape): ChartPatternHit {
  const points: PatternPoint[] = shape.points.map(([label, point]) => ({
    label,
    index: point.index,
    time: candles[point.index]!.time,
    price: point.price,
  }));
  const first = points[0]!;
  const last = points.at(-1)!;
  const { confirmedIndex, failedIndex } = shape.outcome;
  const confirmed = confirmedIndex !== undefined;
  const endIndex = confirmedIndex ?? last.index;
  const failed = failedIndex !== undefined;
  return {
    pattern: shape.pattern,
    direction: shape.bullish ? 'bullish' : 'bearish',
    startIndex: first.index,
    endIndex,
    startTime: first.time,
    endTime: candles[endIndex]!.time,
    points,
    level: shape.level(endIndex),
    confirmed,
    ...(confirmed ? { confirmedTime: candles[confirmedIndex]!.time } : {}),
    status: failed ? 'failed' : confirmed ? 'confirmed' : 'unconfirmed',
    invalidation: shape.invalidation,
    ...(failed ? { failedIndex, failedTime: candles[failedIndex]!.time } : {}),
    ...(shape.lines ? { lines: shape.lines } : {}),
    volatility: shape.volatility,
    confidence: round2(Math.min(1, shape.quality + (confirmed && !failed ? shape.confirmationWeight : 0))),
  };
}
