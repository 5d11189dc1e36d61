/**
 * Double top (bearish) and double bottom (bullish): two matching peaks with a trough between,
 * found across any minor swings in between (the zigzag's smaller pivots), as a chartist sees
 * two peaks a month apart. For a top, with v the local true range and h = lower peak − trough:
 * - the two peaks are the highest pivots from the first to the second (no high between reaches the lower one);
 * - h ≥ MIN_HEIGHT·v, the peaks differ by ≤ MAX_PEAK_DIFFERENCE·h, and they are 5 to 200 candles apart;
 * - the trough (the lowest low between) is the neckline: confirmed by a close below it by the
 *   margin, failed by a close above the higher peak by the margin.
 * Each first peak pairs with the first second peak that qualifies. Bottoms mirror this.
 */
import type { Candle } from '../candles.js';
import type { ChartPatternHit, Pivot } from './chartPatternTypes.js';
import { patternHit } from './patternHit.js';
import { CLOSE_MARGIN, patternOutcome } from './patternOutcome.js';
import type { Volatility } from './volatility.js';

export const MIN_HEIGHT = 3;
export const MAX_PEAK_DIFFERENCE = 0.2;
export const MIN_PEAK_DISTANCE = 5;
export const MAX_PEAK_DISTANCE = 200;

export function findDoubleTopsAndBottoms(
  candles: readonly Candle[],
  pivots: readonly Pivot[],
  volatility: Volatility,
): ChartPatternHit[] {
  const hits: ChartPatternHit[] = [];
  for (let p = 0; p < pivots.length; p += 1) {
    const first = pivots[p]!;
    const top = first.kind === 'high';
    const sign = top ? 1 : -1;
    let trough: Pivot | undefined;
    let between = Number.NEGATIVE_INFINITY; // highest (sign-adjusted) same-kind pivot between the peaks
    for (let q = p + 1; q < pivots.length && pivots[q]!.index - first.index <= MAX_PEAK_DISTANCE; q += 1) {
      const second = pivots[q]!;
      if (second.kind !== first.kind) {
        if (!trough || sign * (trough.price - second.price) > 0) trough = second;
        continue;
      }
      const peak = sign * second.price;
      if (trough && peak > between && second.index - first.index >= MIN_PEAK_DISTANCE) {
        const hit = doubleShape(candles, first, trough, second, volatility);
        if (hit) {
          hits.push(hit);
          break;
        }
      }
      if (peak > sign * first.price) break; // past the first peak: it no longer tops the range
      if (peak > between) between = peak;
    }
  }
  return hits;
}

function doubleShape(
  candles: readonly Candle[],
  first: Pivot,
  trough: Pivot,
  second: Pivot,
  volatility: Volatility,
): ChartPatternHit | undefined {
  const top = first.kind === 'high';
  const sign = top ? 1 : -1;
  const lower = top ? Math.min(first.price, second.price) : Math.max(first.price, second.price);
  const extreme = top ? Math.max(first.price, second.price) : Math.min(first.price, second.price);
  const height = sign * (lower - trough.price);
  const v = volatility.around(first.index, second.index);
  if (height < MIN_HEIGHT * v) return undefined;
  const difference = Math.abs(first.price - second.price);
  if (difference > MAX_PEAK_DIFFERENCE * height) return undefined;
  const span = second.index - first.index;
  const outcome = patternOutcome(candles, {
    from: second.index + 1,
    until: second.index + 2 * span,
    bullish: !top,
    trigger: () => trough.price,
    invalidation: () => extreme,
    margin: CLOSE_MARGIN * v,
    watch: span,
  });
  const similarity = 1 - difference / (MAX_PEAK_DIFFERENCE * height);
  const size = Math.min(1, height / (2 * MIN_HEIGHT * v));
  const label = top ? 'top' : 'bottom';
  return patternHit(candles, {
    pattern: top ? 'double_top' : 'double_bottom',
    bullish: !top,
    points: [
      [`first ${label}`, first],
      [top ? 'trough' : 'peak', trough],
      [`second ${label}`, second],
    ],
    level: () => trough.price,
    invalidation: extreme,
    outcome,
    quality: 0.4 * similarity + 0.3 * size,
    confirmationWeight: 0.3,
    volatility: v,
  });
}
