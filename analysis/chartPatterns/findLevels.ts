/**
 * Support and resistance: pivot prices clustered within a tolerance of average ranges.
 * A cluster of two or more pivots is a level; it is support below the last close and
 * resistance above it. We keep the best few on each side, nearest first.
 */
import type { Pivot, PriceLevel } from './chartPatternTypes.js';

/** Pivots within this many average ranges of a cluster's mean join it. */
export const LEVEL_TOLERANCE = 0.75;
export const LEVELS_PER_SIDE = 3;

interface Cluster {
  pivots: Pivot[];
  sum: number;
}

export function clusterPivots(pivots: readonly Pivot[], meanRange: number, tolerance = LEVEL_TOLERANCE): Pivot[][] {
  const sorted = [...pivots].sort((a, b) => a.price - b.price);
  const clusters: Cluster[] = [];
  let current: Cluster | undefined;
  for (const pivot of sorted) {
    if (current && pivot.price - current.sum / current.pivots.length <= tolerance * meanRange) {
      current.pivots.push(pivot);
      current.sum += pivot.price;
    } else {
      current = { pivots: [pivot], sum: pivot.price };
      clusters.push(current);
    }
  }
  return clusters.map((cluster) => cluster.pivots);
}

export function findLevels(pivots: readonly Pivot[], lastClose: number, candleCount: number, meanRange: number): PriceLevel[] {
  const levels: PriceLevel[] = [];
  for (const cluster of clusterPivots(pivots, meanRange)) {
    if (cluster.length < 2) continue;
    const byTime = [...cluster].sort((a, b) => a.index - b.index);
    const price = cluster.reduce((sum, pivot) => sum + pivot.price, 0) / cluster.length;
    const last = byTime[byTime.length - 1]!;
    const recency = candleCount > 1 ? last.index / (candleCount - 1) : 1;
    levels.push({
      kind: price < lastClose ? 'support' : 'resistance',
      price,
      touches: cluster.length,
      firstTouchTime: byTime[0]!.time,
      lastTouchTime: last.time,
      establishedIndex: byTime[1]!.index,
      confidence: Math.round((0.6 * Math.min(1, (cluster.length - 1) / 4) + 0.4 * recency) * 100) / 100,
    });
  }
  const pick = (kind: PriceLevel['kind']) =>
    levels
      .filter((level) => level.kind === kind)
      .sort((a, b) => Math.abs(a.price - lastClose) - Math.abs(b.price - lastClose))
      .slice(0, 2 * LEVELS_PER_SIDE)
      .sort((a, b) => b.touches - a.touches || b.confidence - a.confidence)
      .slice(0, LEVELS_PER_SIDE)
      .sort((a, b) => Math.abs(a.price - lastClose) - Math.abs(b.price - lastClose));
  return [...pick('support'), ...pick('resistance')];
}
