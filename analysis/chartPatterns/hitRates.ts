/**
 * Hit rates: for each pattern kind found in a series, how the close moved HORIZONS candles
 * after each past occurrence in the same series. An occurrence is measured from the candle a
 * trader could act on: the confirmation for a confirmed chart pattern, otherwise the pattern's
 * last candle (a candlestick hit's candle). Occurrences too recent to have a close N candles
 * later are left out of that horizon. Pure and deterministic.
 */
import type { Candle } from '../candles.js';

export const HORIZONS = [5, 10, 20] as const;
/** Fewer occurrences than this are listed but not called meaningful (and not put in the summary). */
export const MIN_OCCURRENCES = 10;

export interface Occurrence {
  pattern: string;
  direction: 'bullish' | 'bearish' | 'neutral';
  /** Candle the forward return is measured from. */
  index: number;
}

export interface HorizonStats {
  bars: number;
  count: number;
  /** Share of occurrences whose close moved in the pattern's direction; null for neutral patterns or no occurrence. */
  inDirection: number | null;
  /** Median forward return in percent; null without an occurrence. */
  medianReturn: number | null;
}

export interface PatternHitRate {
  pattern: string;
  direction: Occurrence['direction'];
  occurrences: number;
  meaningful: boolean;
  horizons: HorizonStats[];
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One entry per pattern and direction, in order of first appearance. */
export function patternHitRates(candles: readonly Candle[], occurrences: readonly Occurrence[]): PatternHitRate[] {
  const groups = new Map<string, Occurrence[]>();
  for (const occurrence of occurrences) {
    const key = `${occurrence.pattern}:${occurrence.direction}`;
    const group = groups.get(key);
    if (group) group.push(occurrence);
    else groups.set(key, [occurrence]);
  }
  return [...groups.values()].map((group) => {
    const { pattern, direction } = group[0]!;
    const sign = direction === 'bullish' ? 1 : direction === 'bearish' ? -1 : 0;
    const horizons = HORIZONS.map((bars): HorizonStats => {
      const returns: number[] = [];
      for (const { index } of group) {
        const from = candles[index]?.close;
        const to = candles[index + bars]?.close;
        if (from !== undefined && to !== undefined && from > 0) returns.push(((to - from) / from) * 100);
      }
      if (returns.length === 0) return { bars, count: 0, inDirection: null, medianReturn: null };
      return {
        bars,
        count: returns.length,
        inDirection: sign === 0 ? null : round(returns.filter((value) => sign * value > 0).length / returns.length, 3),
        medianReturn: round(median(returns), 3),
      };
    });
    return {
      pattern,
      direction,
      occurrences: group.length,
      meaningful: horizons[1]!.count >= MIN_OCCURRENCES,
      horizons,
    };
  });
}
