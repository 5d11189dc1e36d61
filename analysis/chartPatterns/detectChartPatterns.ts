/** Pivots → levels, trend and every chart-pattern family, each measured in local volatility. */
import type { Candle } from '../candles.js';
import { findBoundedPatterns } from './boundedPatterns.js';
import type { ChartPatternHit, Pivot, PriceLevel, TrendEstimate } from './chartPatternTypes.js';
import { dropOverlapping } from './dropOverlapping.js';
import { findDoubleTopsAndBottoms } from './doubleTopBottom.js';
import { findBreakouts } from './findBreakouts.js';
import { findLevels } from './findLevels.js';
import { findPivots } from './findPivots.js';
import { findFlagsAndPennants } from './flagsAndPennants.js';
import { findHeadAndShoulders } from './headAndShoulders.js';
import { measureTrend } from './measureTrend.js';
import { measureVolatility } from './volatility.js';

export interface ChartAnalysis {
  pivots: Pivot[];
  levels: PriceLevel[];
  trend: TrendEstimate;
  patterns: ChartPatternHit[];
}

export function meanRangeOf(candles: readonly Candle[]): number {
  let sum = 0;
  for (const candle of candles) sum += candle.high - candle.low;
  return candles.length > 0 ? sum / candles.length : 0;
}

/** `averageRange` and `averageVolume` are per-candle yardsticks (see patterns/candleContext). */
export function detectChartPatterns(
  candles: readonly Candle[],
  averageRange: ArrayLike<number>,
  averageVolume: ArrayLike<number>,
): ChartAnalysis {
  const meanRange = meanRangeOf(candles);
  const volatility = measureVolatility(candles);
  const lastClose = candles.at(-1)?.close ?? 0;
  const pivots = findPivots(candles, averageRange, meanRange);
  const levels = findLevels(
    pivots,
    lastClose,
    candles.length,
    volatility.overall,
    volatility.around(candles.length - 1, candles.length - 1),
  );
  const patterns = [
    ...dropOverlapping(findDoubleTopsAndBottoms(candles, pivots, volatility)),
    ...dropOverlapping(findHeadAndShoulders(candles, pivots, volatility)),
    ...findBoundedPatterns(candles, pivots, volatility),
    ...findFlagsAndPennants(candles, volatility),
    ...findBreakouts(candles, levels, volatility, averageVolume),
  ].sort((a, b) => a.endIndex - b.endIndex || a.startIndex - b.startIndex);
  return { pivots, levels, trend: measureTrend(candles, meanRange), patterns };
}
