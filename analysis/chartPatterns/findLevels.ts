/**
 * Support and resistance: pivot prices clustered within LEVEL_TOLERANCE mean true ranges.
 * A cluster of two or more pivots is a level; it is support below the last close and
 * resistance above it. Levels are ranked by touches, recency (the last touch's age, halving
 * every RECENCY_HALF_LIFE candles) and proximity (distance from the last close in current true
 * ranges), so a level far away and untouched for long ranks below a nearer one; we keep the
 * best few on each side, listed nearest first.
 */
import type { Pivot, PriceLevel } from './chartPatternTypes.js';

/** Pivots within this many mean true ranges of a cluster's mean join it. */
export const LEVEL_TOLERANCE = 0.75;
export const LEVELS_PER_SIDE = 3;
export const RECENCY_HALF_LIFE = 100;
/** At this many current true ranges from the last close a level's proximity score is one half. */
export const PROXIMITY_SCALE = 10;

interface Cluster {
  pivots: Pivot[];
  sum: number;
}

export function clusterPivots(pivots: readonly Pivot[], yardstick: number, tolerance = LEVEL_TOLERANCE): Pivot[][] {
  const sorted = [...pivots].sort((a, b) => a.price - b.price);
  const clusters: Cluster[] = [];
  let current: Cluster | undefined;
  for (const pivot of sorted) {
    if (current && pivot.price - current.sum / current.pivots.length <= tolerance * yardstick) {
      current.pivots.push(pivot);
      current.sum += pivot.price;
    } else {
      current = { pivots: [pivot], sum: pivot.price };
      clusters.push(current);
    }
  }
  return clusters.map((cluster) => cluster.pivots);
}

/** `yardstick` clusters the pivots (the window's mean true range); `currentRange` measures distance (the true range at the end). */
export function findLevels(
  pivots: readonly Pivot[],
  lastClose: number,
  candleCount: number,
  yardstick: number,
  currentRange = yardstick,
): PriceLevel[] {
  const levels: PriceLevel[] = [];
  for (const cluster of clusterPivots(pivots, yardstick)) {
    if (cluster.length < 2) continue;
    const byTime = [...cluster].sort((a, b) => a.index - b.index);
    const price = cluster.reduce((sum, pivot) => sum + pivot.price, 0) / cluster.length;
    const last = byTime[byTime.length - 1]!;
    const distance = currentRange > 0 ? Math.abs(price - lastClose) / currentRange : 0;
    const recency = 0.5 ** ((candleCount - 1 - last.index) / RECENCY_HALF_LIFE);
    const proximity = 1 / (1 + distance / PROXIMITY_SCALE);
    levels.push({
      kind: price < lastClose ? 'support' : 'resistance',
      price,
      touches: cluster.length,
      firstTouchTime: byTime[0]!.time,
      lastTouchTime: last.time,
      lastTouchIndex: last.index,
      establishedIndex: byTime[1]!.index,
      distance: Math.round(distance * 100) / 100,
      confidence:
        Math.round((0.45 * Math.min(1, (cluster.length - 1) / 4) + 0.3 * recency + 0.25 * proximity) * 100) / 100,
    });
  }
  const pick = (kind: PriceLevel['kind']) =>
    levels
      .filter((level) => level.kind === kind)
      .sort((a, b) => b.confidence - a.confidence || a.distance - b.distance)
      .slice(0, LEVELS_PER_SIDE)
      .sort((a, b) => Math.abs(a.price - lastClose) - Math.abs(b.price - lastClose));
  return [...pick('support'), ...pick('resistance')];
}
