/**
 * Triangles, wedges and channels from windows of 7, 6 or 5 consecutive pivots, latest first:
 * the widest window ending at a pivot that fits a shape wins, and shapes never overlap. Confirmed
 * by a close beyond the boundary in the pattern's direction by the margin, failed by a close
 * beyond the other boundary; both lines are extended for as long as the shape lasted.
 */
import type { Candle } from '../candles.js';
import { contained, fitBoundaries, lineAt, type Boundaries } from './boundaryLines.js';
import type { BoundedKind, ChartPatternHit, Pivot } from './chartPatternTypes.js';
import { classifyChannel } from './channels.js';
import { patternHit } from './patternHit.js';
import { CLOSE_MARGIN, patternOutcome } from './patternOutcome.js';
import { classifyTriangle } from './triangles.js';
import type { Volatility } from './volatility.js';
import { classifyWedge } from './wedges.js';

const WINDOW_SIZES = [7, 6, 5] as const;

function classify(b: Boundaries, candles: readonly Candle[]): BoundedKind | undefined {
  return classifyTriangle(b, candles) ?? classifyWedge(b) ?? classifyChannel(b);
}

export function findBoundedPatterns(
  candles: readonly Candle[],
  pivots: readonly Pivot[],
  volatility: Volatility,
): ChartPatternHit[] {
  const hits: ChartPatternHit[] = [];
  let taken = Number.POSITIVE_INFINITY; // start index of the earliest accepted shape
  for (let e = pivots.length - 1; e >= 4; e -= 1) {
    if (pivots[e]!.index >= taken) continue;
    for (const size of WINDOW_SIZES) {
      const s = e - size + 1;
      if (s < 0) continue;
      const window = pivots.slice(s, e + 1);
      const b = fitBoundaries(window, volatility.around(window[0]!.index, window.at(-1)!.index));
      const kind = b && classify(b, candles);
      if (!b || !kind || !contained(candles, b)) continue;
      hits.push(boundedHit(candles, b, kind));
      taken = b.start;
      break;
    }
  }
  return hits.reverse();
}

function boundedHit(candles: readonly Candle[], b: Boundaries, kind: BoundedKind): ChartPatternHit {
  const span = b.end - b.start;
  const trigger = kind.bullish ? b.upper : b.lower;
  const opposite = kind.bullish ? b.lower : b.upper;
  const outcome = patternOutcome(candles, {
    from: b.end + 1,
    until: b.end + span,
    bullish: kind.bullish,
    trigger: (index) => lineAt(trigger, index),
    invalidation: (index) => lineAt(opposite, index),
    margin: CLOSE_MARGIN * b.v,
    watch: span,
  });
  const lastIndex = Math.min(
    candles.length - 1,
    Math.max(b.end, outcome.failedIndex ?? outcome.confirmedIndex ?? b.end),
  );
  const line = (label: 'upper' | 'lower', fitted: typeof b.upper) => ({
    label,
    startIndex: b.start,
    startPrice: lineAt(fitted, b.start),
    endIndex: lastIndex,
    endPrice: lineAt(fitted, lastIndex),
  });
  const touches = Math.min(1, (b.pivots.length - 4) / 3);
  return patternHit(candles, {
    pattern: kind.pattern,
    bullish: kind.bullish,
    points: b.pivots.map((pivot) => [pivot.kind === 'high' ? 'upper touch' : 'lower touch', pivot] as const),
    level: (index) => lineAt(trigger, index),
    invalidation: lineAt(opposite, outcome.confirmedIndex ?? b.end),
    outcome,
    quality: 0.3 + 0.3 * touches,
    confirmationWeight: 0.4,
    volatility: b.v,
    lines: [line('upper', b.upper), line('lower', b.lower)],
  });
}
