/**
 * Breakouts: a close through a level by at least BREAKOUT_MARGIN local true ranges, after the
 * level was established (its second touch) and after at least MIN_BARS_BEFORE closes beyond
 * the margin on the other side. Closes within the margin count for neither side, so hovering
 * at a level is not a string of breakouts. A close back through the level by the margin within
 * FAIL_BARS fails the breakout, and no new breakout of the same level is reported within
 * REARM_BARS of the last one: a whipsaw is one event, not several.
 */
import type { Candle } from '../candles.js';
import type { ChartPatternHit, PriceLevel } from './chartPatternTypes.js';
import type { Volatility } from './volatility.js';

export const BREAKOUT_MARGIN = 0.75;
export const MIN_BARS_BEFORE = 5;
export const FAIL_BARS = 10;
export const REARM_BARS = 20;

export function findBreakouts(
  candles: readonly Candle[],
  levels: readonly PriceLevel[],
  volatility: Volatility,
  averageVolume: ArrayLike<number>,
): ChartPatternHit[] {
  const hits: ChartPatternHit[] = [];
  // Each candle's volatility once, not once per level.
  const local = new Float64Array(candles.length);
  for (let index = 0; index < candles.length; index += 1) local[index] = volatility.around(index, index);
  for (const level of levels) {
    let side = 0;
    let run = 0;
    let last: ChartPatternHit | undefined;
    for (let index = level.establishedIndex + 1; index < candles.length; index += 1) {
      const candle = candles[index]!;
      const v = local[index]!;
      const margin = BREAKOUT_MARGIN * v;
      const distance = candle.close - level.price;
      const now = distance > margin ? 1 : distance < -margin ? -1 : 0;
      if (now === 0) continue;
      if (now === side) {
        run += 1;
        continue;
      }
      if (
        last &&
        last.failedIndex === undefined &&
        last.endIndex + FAIL_BARS >= index &&
        (last.direction === 'bullish' ? -1 : 1) === now
      ) {
        last.status = 'failed';
        last.failedIndex = index;
        last.failedTime = candle.time;
      }
      if (side !== 0 && run >= MIN_BARS_BEFORE && !(last && index - last.endIndex < REARM_BARS)) {
        const volumeRatio = candle.volume / averageVolume[index]!;
        const penetration = Math.min(1, Math.abs(distance) / (2 * v));
        const volumeScore = Number.isFinite(volumeRatio) ? Math.min(1, Math.max(0, volumeRatio - 0.5)) : 0.5;
        const touches = Math.min(1, (level.touches - 1) / 4);
        last = {
          pattern: 'breakout',
          direction: now > 0 ? 'bullish' : 'bearish',
          startIndex: index,
          endIndex: index,
          startTime: candle.time,
          endTime: candle.time,
          points: [
            {
              label: now > 0 ? 'close above level' : 'close below level',
              index,
              time: candle.time,
              price: candle.close,
            },
          ],
          level: level.price,
          confirmed: true,
          confirmedTime: candle.time,
          status: 'confirmed',
          invalidation: level.price,
          volatility: v,
          confidence: Math.round((0.35 * penetration + 0.35 * volumeScore + 0.3 * touches) * 100) / 100,
        };
        hits.push(last);
      }
      side = now;
      run = 1;
    }
  }
  return hits.sort((a, b) => a.endIndex - b.endIndex);
}
