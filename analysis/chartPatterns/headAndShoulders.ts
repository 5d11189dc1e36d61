/**
 * Head and shoulders (bearish) and its inverse (bullish) on five alternating pivots
 * shoulder–trough–head–trough–shoulder. With the neckline through the two troughs and
 * h = head − neckline (mirrored for the inverse):
 * - the head stands out: it exceeds the higher shoulder by ≥ 0.15·h and ≥ 1 average range;
 * - the shoulders match: they differ by ≤ 0.25·h, and each rises ≥ 0.3·h above the neckline;
 * - the neckline is roughly level: its two troughs differ by ≤ 0.5·h;
 * - h ≥ 3 average ranges;
 * - confirmed when a later close crosses the (extended) neckline before price passes the head.
 */
import type { Candle } from '../candles.js';
import type { ChartPatternHit, Pivot } from './chartPatternTypes.js';
import { confirmation } from './doubleTopBottom.js';
import { reversalHit } from './reversalHit.js';

export function findHeadAndShoulders(candles: readonly Candle[], pivots: readonly Pivot[], meanRange: number): ChartPatternHit[] {
  const hits: ChartPatternHit[] = [];
  for (let p = 0; p + 4 < pivots.length; p += 1) {
    const [leftShoulder, leftTrough, head, rightTrough, rightShoulder] = pivots.slice(p, p + 5) as [Pivot, Pivot, Pivot, Pivot, Pivot];
    const top = head.kind === 'high';
    const sign = top ? 1 : -1;
    const neckAt = (index: number) => leftTrough.price + ((rightTrough.price - leftTrough.price) * (index - leftTrough.index)) / (rightTrough.index - leftTrough.index);
    const height = sign * (head.price - neckAt(head.index));
    if (height < 3 * meanRange) continue;
    const higherShoulder = top ? Math.max(leftShoulder.price, rightShoulder.price) : Math.min(leftShoulder.price, rightShoulder.price);
    const headExcess = sign * (head.price - higherShoulder);
    if (headExcess < 0.15 * height || headExcess < meanRange) continue;
    const shoulderDifference = Math.abs(leftShoulder.price - rightShoulder.price);
    if (shoulderDifference > 0.25 * height) continue;
    if (sign * (leftShoulder.price - neckAt(leftShoulder.index)) < 0.3 * height || sign * (rightShoulder.price - neckAt(rightShoulder.index)) < 0.3 * height) continue;
    if (Math.abs(leftTrough.price - rightTrough.price) > 0.5 * height) continue;
    const confirmedIndex = confirmation(candles, rightShoulder.index + 1, neckAt, head.price, top);
    const symmetry = 1 - shoulderDifference / (0.25 * height);
    const prominence = Math.min(1, headExcess / (0.5 * height));
    hits.push(
      reversalHit(candles, {
        pattern: top ? 'head_and_shoulders' : 'inverse_head_and_shoulders',
        top,
        pivots: [
          ['left shoulder', leftShoulder],
          [top ? 'left trough' : 'left peak', leftTrough],
          ['head', head],
          [top ? 'right trough' : 'right peak', rightTrough],
          ['right shoulder', rightShoulder],
        ],
        level: neckAt,
        confirmedIndex,
        quality: 0.35 * symmetry + 0.25 * prominence,
        confirmationWeight: 0.4,
      }),
    );
  }
  return hits;
}
