/**
 * Breakouts: a close through a level, by at least 0.75 average ranges, after the level
 * was established (its second touch) and after at least MIN_BARS_BEFORE closes on the other
 * side. Closes within the margin count for neither side, so hovering at a level is not a
 * string of breakouts.
 */
import type { Candle } from '../candles.js';
import type { ChartPatternHit, PriceLevel } from './chartPatternTypes.js';

export const BREAKOUT_MARGIN = 0.75;
export const MIN_BARS_BEFORE = 5;

export function findBreakouts(candles: readonly Candle[], levels: readonly PriceLevel[], meanRange: number, averageVolume: ArrayLike<number>): ChartPatternHit[] {
  const hits: ChartPatternHit[] = [];
  const margin = BREAKOUT_MARGIN * meanRange;
  for (const level of levels) {
    let side = 0;
    let run = 0;
    for (let index = level.establishedIndex + 1; index < candles.length; index += 1) {
      const candle = candles[index]!;
      const distance = candle.close - level.price;
      const now = distance > margin ? 1 : distance < -margin ? -1 : 0;
      if (now === 0) continue;
      if (now === side) {
        run += 1;
        continue;
      }
      if (side !== 0 && run >= MIN_BARS_BEFORE) {
        const volumeRatio = candle.volume / averageVolume[index]!;
        const penetration = Math.min(1, Math.abs(distance) / (2 * meanRange));
        const volumeScore = Number.isFinite(volumeRatio) ? Math.min(1, Math.max(0, volumeRatio - 0.5)) : 0.5;
        const touches = Math.min(1, (level.touches - 1) / 4);
        hits.push({
          pattern: 'breakout',
          direction: now > 0 ? 'bullish' : 'bearish',
          startIndex: index,
          endIndex: index,
          startTime: candle.time,
          endTime: candle.time,
          points: [{ label: now > 0 ? 'close above level' : 'close below level', index, time: candle.time, price: candle.close }],
          level: level.price,
          confirmed: true,
          confirmedTime: candle.time,
          confidence: Math.round((0.35 * penetration + 0.35 * volumeScore + 0.3 * touches) * 100) / 100,
        });
      }
      side = now;
      run = 1;
    }
  }
  return hits.sort((a, b) => a.endIndex - b.endIndex);
}
