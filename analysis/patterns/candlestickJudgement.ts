/**
 * Our own judgement of a TA-Lib hit, kept apart from the definition: the move that led
 * into it (in average ranges), whether the hit reverses that move, the volume against its
 * average, and a 0..1 strength. None of it decides whether a pattern is reported.
 */
import type { CandleContext } from './candleContext.js';
import type { Direction, TrendContext } from './candlestickTypes.js';

/** Candles over which the move leading into a pattern is measured. */
export const TREND_LOOKBACK = 6;
/** A move of at least this many average ranges over TREND_LOOKBACK candles counts as a decline or an advance. */
export const TREND_THRESHOLD = 2;

const clamp01 = (value: number): number => (value < 0 ? 0 : value > 1 ? 1 : value);
const round2 = (value: number): number => Math.round(value * 100) / 100;

/** The move of the close over the TREND_LOOKBACK candles before `first`, in average ranges at `first`. */
export function trendContext(x: CandleContext, first: number, direction: Direction): TrendContext {
  const average = x.averageRange[first];
  const before = first - 1 - TREND_LOOKBACK;
  if (before < 0 || average === undefined || !(average > 0)) return { move: null, prior: 'unknown', reversal: false };
  const move = (x.close[first - 1]! - x.close[before]!) / average;
  const prior = move <= -TREND_THRESHOLD ? 'decline' : move >= TREND_THRESHOLD ? 'advance' : 'flat';
  const reversal = (direction === 'bullish' && prior === 'decline') || (direction === 'bearish' && prior === 'advance');
  return { move: round2(move), prior, reversal };
}

/** Last candle's volume over the average volume before the pattern's first candle. */
export function volumeRatio(x: CandleContext, first: number, last: number): number | null {
  const ratio = x.volume[last]! / x.averageVolume[first]!;
  return Number.isFinite(ratio) ? round2(ratio) : null;
}

/**
 * Strength: the pattern's high−low span against what its candles usually cover (35%), how
 * strong a prior move it reverses, or for a neutral hit any prior move (30%), volume (20%)
 * and TA-Lib's confirmation (a hikkake's ±200) (15%).
 */
export function strength(
  x: CandleContext,
  index: number,
  candles: number,
  signal: number,
  direction: Direction,
  context: TrendContext,
  volume: number | null,
): number {
  const first = index - candles + 1;
  let top = x.high[first]!;
  let bottom = x.low[first]!;
  for (let k = first + 1; k <= index; k += 1) {
    if (x.high[k]! > top) top = x.high[k]!;
    if (x.low[k]! < bottom) bottom = x.low[k]!;
  }
  const average = x.averageRange[first]!;
  const size = average > 0 ? clamp01((top - bottom) / (average * candles) / 2) : 0.5;
  const move = context.move === null ? 0 : clamp01(Math.abs(context.move) / (2 * TREND_THRESHOLD));
  const trend = direction === 'neutral' || context.reversal ? move : 0;
  const volumeScore = volume === null ? 0.5 : clamp01(volume / 2);
  const confirmation = Math.abs(signal) >= 200 ? 1 : 0.5;
  return round2(0.35 * size + 0.3 * trend + 0.2 * volumeScore + 0.15 * confirmation);
}
