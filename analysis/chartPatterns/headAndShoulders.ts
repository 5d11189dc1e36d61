/**
 * Head and shoulders (bearish) and its inverse (bullish), found across minor swings: the head
 * is a pivot no other pivot within MAX_SHOULDER_DISTANCE candles exceeds; each shoulder is a
 * pivot on its side that tops every same-kind pivot between it and the head, and the trough
 * between them is the lowest low there. With the neckline through the two troughs, v the local
 * true range and h = head − neckline (mirrored for the inverse), a pair of shoulders qualifies when:
 * - h ≥ 3·v; the head exceeds the higher shoulder by ≥ 0.15·h and ≥ v;
 * - the shoulders differ by ≤ 0.25·h, each stands ≥ 0.3·h above the neckline, the troughs differ by ≤ 0.5·h;
 * - the shoulders are roughly as far from the head (ratio ≤ 3).
 * The most symmetric qualifying pair wins. Confirmed by a close through the extended neckline
 * by the margin; failed by a close beyond the head.
 */
import type { Candle } from '../candles.js';
import type { ChartPatternHit, Pivot } from './chartPatternTypes.js';
import { patternHit } from './patternHit.js';
import { CLOSE_MARGIN, patternOutcome } from './patternOutcome.js';
import type { Volatility } from './volatility.js';

export const MAX_SHOULDER_DISTANCE = 150;

interface Shoulder {
  shoulder: Pivot;
  trough: Pivot;
}

/** Candidate shoulders walking away from the head at `h` in `step` direction (−1 left, +1 right). */
function shoulders(pivots: readonly Pivot[], h: number, step: 1 | -1): Shoulder[] | undefined {
  const head = pivots[h]!;
  const sign = head.kind === 'high' ? 1 : -1;
  const found: Shoulder[] = [];
  let trough: Pivot | undefined;
  let between = Number.NEGATIVE_INFINITY;
  for (
    let q = h + step;
    q >= 0 && q < pivots.length && Math.abs(pivots[q]!.index - head.index) <= MAX_SHOULDER_DISTANCE;
    q += step
  ) {
    const pivot = pivots[q]!;
    if (pivot.kind !== head.kind) {
      if (!trough || sign * (trough.price - pivot.price) > 0) trough = pivot;
      continue;
    }
    const value = sign * pivot.price;
    if (value >= sign * head.price) return found.length > 0 ? found : undefined;
    if (trough && value > between) found.push({ shoulder: pivot, trough });
    if (value > between) between = value;
  }
  return found;
}

export function findHeadAndShoulders(
  candles: readonly Candle[],
  pivots: readonly Pivot[],
  volatility: Volatility,
): ChartPatternHit[] {
  const hits: ChartPatternHit[] = [];
  for (let h = 1; h + 1 < pivots.length; h += 1) {
    const left = shoulders(pivots, h, -1);
    const right = left && left.length > 0 ? shoulders(pivots, h, 1) : undefined;
    if (!left || !right) continue;
    let best: { hit: ChartPatternHit; score: number } | undefined;
    for (const l of left)
      for (const r of right) {
        const candidate = shape(candles, pivots[h]!, l, r, volatility);
        if (candidate && (!best || candidate.score > best.score)) best = candidate;
      }
    if (best) hits.push(best.hit);
  }
  return hits;
}

function shape(
  candles: readonly Candle[],
  head: Pivot,
  l: Shoulder,
  r: Shoulder,
  volatility: Volatility,
): { hit: ChartPatternHit; score: number } | undefined {
  const top = head.kind === 'high';
  const sign = top ? 1 : -1;
  const { shoulder: leftShoulder, trough: leftTrough } = l;
  const { shoulder: rightShoulder, trough: rightTrough } = r;
  const leftSpan = head.index - leftShoulder.index;
  const rightSpan = rightShoulder.index - head.index;
  if (Math.max(leftSpan, rightSpan) > 3 * Math.min(leftSpan, rightSpan)) return undefined;
  const neckAt = (index: number) =>
    leftTrough.price +
    ((rightTrough.price - leftTrough.price) * (index - leftTrough.index)) / (rightTrough.index - leftTrough.index);
  const v = volatility.around(leftShoulder.index, rightShoulder.index);
  const height = sign * (head.price - neckAt(head.index));
  if (height < 3 * v) return undefined;
  const higherShoulder = top
    ? Math.max(leftShoulder.price, rightShoulder.price)
    : Math.min(leftShoulder.price, rightShoulder.price);
  const headExcess = sign * (head.price - higherShoulder);
  if (headExcess < 0.15 * height || headExcess < v) return undefined;
  const shoulderDifference = Math.abs(leftShoulder.price - rightShoulder.price);
  if (shoulderDifference > 0.25 * height) return undefined;
  if (
    sign * (leftShoulder.price - neckAt(leftShoulder.index)) < 0.3 * height ||
    sign * (rightShoulder.price - neckAt(rightShoulder.index)) < 0.3 * height
  )
    return undefined;
  if (Math.abs(leftTrough.price - rightTrough.price) > 0.5 * height) return undefined;
  const span = rightShoulder.index - leftShoulder.index;
  const outcome = patternOutcome(candles, {
    from: rightShoulder.index + 1,
    until: rightShoulder.index + span,
    bullish: !top,
    trigger: neckAt,
    invalidation: () => head.price,
    margin: CLOSE_MARGIN * v,
    watch: span,
  });
  const symmetry = 1 - shoulderDifference / (0.25 * height);
  const timing = Math.min(leftSpan, rightSpan) / Math.max(leftSpan, rightSpan);
  const prominence = Math.min(1, headExcess / (0.5 * height));
  const hit = patternHit(candles, {
    pattern: top ? 'head_and_shoulders' : 'inverse_head_and_shoulders',
    bullish: !top,
    points: [
      ['left shoulder', leftShoulder],
      [top ? 'left trough' : 'left peak', leftTrough],
      ['head', head],
      [top ? 'right trough' : 'right peak', rightTrough],
      ['right shoulder', rightShoulder],
    ],
    level: neckAt,
    invalidation: head.price,
    outcome,
    quality: 0.25 * symmetry + 0.1 * timing + 0.25 * prominence,
    confirmationWeight: 0.4,
    volatility: v,
  });
  return { hit, score: symmetry + timing };
}
