/**
 * Wedges: converging boundaries (gap at the end ≤ 60% of the start) that both slope the same
 * way. A rising wedge is bearish (the advance is losing room), a falling wedge bullish.
 */
import { converging, FLAT, type Boundaries } from './boundaryLines.js';
import type { BoundedKind } from './chartPatternTypes.js';

export function classifyWedge(b: Boundaries): BoundedKind | undefined {
  if (!converging(b, 0.6)) return undefined;
  if (b.upperChange > FLAT && b.lowerChange > FLAT) return { pattern: 'rising_wedge', bullish: false };
  if (b.upperChange < -FLAT && b.lowerChange < -FLAT) return { pattern: 'falling_wedge', bullish: true };
  return undefined;
}
