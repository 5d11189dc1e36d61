/**
 * Double top (bearish) and double bottom (bullish) on consecutive alternating pivots
 * peak–trough–peak (or trough–peak–trough):
 * - the pattern is tall: from the lower peak to the trough ≥ 3 average ranges (height h);
 * - the peaks match: they differ by at most 0.2·h;
 * - they are apart: at least 5 candles between them;
 * - confirmed when a later close goes through the trough (the neckline) before price
 *   runs past the peaks by 0.25·h, which would void the pattern.
 */
import type { Candle } from '../candles.js';
import type { ChartPatternHit, Pivot } from './chartPatternTypes.js';
import { reversalHit } from './reversalHit.js';

export const MIN_HEIGHT_RANGES = 3;
export const MAX_PEAK_DIFFERENCE = 0.2;
export const MIN_PEAK_DISTANCE = 5;

export function findDoubleTopsAndBottoms(candles: readonly Candle[], pivots: readonly Pivot[], meanRange: number): ChartPatternHit[] {
  const hits: ChartPatternHit[] = [];
  for (let p = 0; p + 2 < pivots.length; p += 1) {
    const first = pivots[p]!;
    const middle = pivots[p + 1]!;
    const second = pivots[p + 2]!;
    const top = first.kind === 'high';
    const sign = top ? 1 : -1;
    const height = sign * ((top ? Math.min(first.price, second.price) : Math.max(first.price, second.price)) - middle.price);
    if (height < MIN_HEIGHT_RANGES * meanRange) continue;
    const difference = Math.abs(first.price - second.price);
    if (difference > MAX_PEAK_DIFFERENCE * height || second.index - first.index < MIN_PEAK_DISTANCE) continue;
    const extreme = top ? Math.max(first.price, second.price) : Math.min(first.price, second.price);
    const confirmedIndex = confirmation(candles, second.index + 1, middle.price, extreme + sign * 0.25 * height, top);
    const similarity = 1 - difference / (MAX_PEAK_DIFFERENCE * height);
    const size = Math.min(1, height / (2 * MIN_HEIGHT_RANGES * meanRange));
    const label = top ? 'top' : 'bottom';
    hits.push(
      reversalHit(candles, {
        pattern: top ? 'double_top' : 'double_bottom',
        top,
        pivots: [[`first ${label}`, first], [top ? 'trough' : 'peak', middle], [`second ${label}`, second]],
        level: () => middle.price,
        confirmedIndex,
        quality: 0.4 * similarity + 0.3 * size,
        confirmationWeight: 0.3,
      }),
    );
  }
  return hits;
}

/**
 * The first close from `from` on beyond `neckline` (below it for a top), unless a candle
 * first reaches `invalidation` (above it for a top).
 */
export function confirmation(candles: readonly Candle[], from: number, neckline: number | ((index: number) => number), invalidation: number, top: boolean): number | undefined {
  for (let index = from; index < candles.length; index += 1) {
    const candle = candles[index]!;
    const line = typeof neckline === 'number' ? neckline : neckline(index);
    if (top ? candle.close < line : candle.close > line) return index;
    if (top ? candle.high > invalidation : candle.low < invalidation) return undefined;
  }
  return undefined;
}
