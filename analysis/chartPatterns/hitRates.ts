/**
 * Hit rates: for each pattern kind found in a series, how the close moved HORIZONS candles
 * after each past occurrence in the same series. An occurrence is measured from the candle a
 * trader could act on: the confirmation for a confirmed chart pattern, otherwise the pattern's
 * last candle (a candlestick hit's candle). Occurrences too recent to have a close N candles
 * later are left out of that horizon. Pure and deterministic.
 */
import type { Candle } from '../candles.js';
import { selectMedian } from './selectMedian.js';

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

interface Group {
  pattern: string;
  direction: Occurrence['direction'];
  indices: number[];
}

/** Occurrences grouped by pattern and direction, in order of first appearance. */
function groupOccurrences(occurrences: readonly Occurrence[]): Group[] {
  const groups: Group[] = [];
  const byPattern = new Map<string, Partial<Record<Occurrence['direction'], Group>>>();
  for (let k = 0; k < occurrences.length; k += 1) {
    const { pattern, direction, index } = occurrences[k]!;
    let directions = byPattern.get(pattern);
    if (!directions) byPattern.set(pattern, (directions = {}));
    let group = directions[direction];
    if (!group) groups.push((directions[direction] = group = { pattern, direction, indices: [] }));
    group.indices.push(index);
  }
  return groups;
}

/** `returns` has room for indices.length values: one scratch buffer for every group and horizon. */
function horizonStats(
  closes: Float64Array,
  indices: readonly number[],
  bars: number,
  sign: number,
  returns: Float64Array,
): HorizonStats {
  // Groups of candlestick hits run to thousands: typed, and a median by selection, not a sort.
  let count = 0;
  let inDirection = 0;
  for (let k = 0; k < indices.length; k += 1) {
    const index = indices[k]!;
    if (index < 0 || index + bars >= closes.length) continue;
    const from = closes[index]!;
    const to = closes[index + bars]!;
    if (!(from > 0)) continue;
    const value = ((to - from) / from) * 100;
    returns[count++] = value;
    if (sign * value > 0) inDirection += 1;
  }
  if (count === 0) return { bars, count: 0, inDirection: null, medianReturn: null };
  return {
    bars,
    count,
    inDirection: sign === 0 ? null : round(inDirection / count, 3),
    medianReturn: round(selectMedian(returns.subarray(0, count)), 3),
  };
}

/** One entry per pattern and direction, in order of first appearance. */
export function patternHitRates(candles: readonly Candle[], occurrences: readonly Occurrence[]): PatternHitRate[] {
  const scratch = new Float64Array(occurrences.length);
  const closes = new Float64Array(candles.length);
  for (let index = 0; index < candles.length; index += 1) closes[index] = candles[index]!.close;
  return groupOccurrences(occurrences).map(({ pattern, direction, indices }) => {
    const sign = direction === 'bullish' ? 1 : direction === 'bearish' ? -1 : 0;
    const horizons = HORIZONS.map((bars) => horizonStats(closes, indices, bars, sign, scratch));
    return {
      pattern,
      direction,
      occurrences: indices.length,
      meaningful: horizons[1]!.count >= MIN_OCCURRENCES,
      horizons,
    };
  });
}
