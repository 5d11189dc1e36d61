/**
 * One pattern per stretch of chart: of hits of the same kind whose point spans overlap, the
 * most confident (then the earliest) stays. A chartist draws one double top over a range, not
 * one per pair of similar peaks in it.
 */
import type { ChartPatternHit } from './chartPatternTypes.js';

export function dropOverlapping(hits: readonly ChartPatternHit[]): ChartPatternHit[] {
  const kept: ChartPatternHit[] = [];
  const span = (hit: ChartPatternHit) => [hit.points[0]!.index, hit.points.at(-1)!.index] as const;
  const ranked = [...hits].sort((a, b) => b.confidence - a.confidence || a.startIndex - b.startIndex);
  for (const hit of ranked) {
    const [start, end] = span(hit);
    const overlaps = kept.some((other) => {
      if (other.pattern !== hit.pattern) return false;
      const [otherStart, otherEnd] = span(other);
      return start < otherEnd && otherStart < end;
    });
    if (!overlaps) kept.push(hit);
  }
  return kept.sort((a, b) => a.endIndex - b.endIndex || a.startIndex - b.startIndex);
}
