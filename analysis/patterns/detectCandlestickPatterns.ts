/**
 * Runs all 61 TA-Lib candlestick definitions over a series and returns the hits in candle
 * order (within a candle, in TA-Lib's function order), each with our judgement attached.
 */
import type { Candle } from '../candles.js';
import { buildCandleContext, type CandleContext } from './candleContext.js';
import { PATTERN_SPECS } from './candlestickCatalog.js';
import { strength, trendContext, volumeRatio } from './candlestickJudgement.js';
import { scanBarPatterns } from './scanBarPatterns.js';
import {
  CANDLESTICK_PATTERNS,
  type CandlestickHit,
  type CandlestickPatternName,
  type Direction,
  type PatternSpec,
  TALIB_FUNCTIONS,
  type TalibFunction,
  type TrendContext,
} from './candlestickTypes.js';

/** A spec with every field present, so the loops below see one object shape. */
interface Entry {
  pattern: CandlestickPatternName;
  talib: TalibFunction;
  candles: number;
  lookback: number;
  neutral: boolean;
  detect: PatternSpec['detect'];
}
const ENTRIES: readonly Entry[] = PATTERN_SPECS.map((spec) => ({
  pattern: spec.pattern,
  talib: TALIB_FUNCTIONS[spec.pattern],
  candles: spec.candles,
  lookback: spec.lookback,
  neutral: spec.neutral === true,
  detect: spec.detect,
}));

/** Hits that start on the same candle with the same direction share one TrendContext (read-only). */
interface ContextCache {
  first: number;
  direction: Direction | undefined;
  value: TrendContext | undefined;
}

function hitOf(
  x: CandleContext,
  entry: Entry,
  index: number,
  signal: number,
  cache: ContextCache,
  windowStart: number,
): CandlestickHit {
  const direction: Direction = entry.neutral ? 'neutral' : signal > 0 ? 'bullish' : 'bearish';
  const first = Math.max(0, index - entry.candles + 1);
  if (cache.first !== first || cache.direction !== direction || !cache.value) {
    cache.first = first;
    cache.direction = direction;
    cache.value = trendContext(x, first, direction);
  }
  const trend_context = cache.value;
  const volume_ratio = volumeRatio(x, first, index);
  return {
    pattern: entry.pattern,
    talib: entry.talib,
    signal,
    time: x.time[index]!,
    index: index - windowStart,
    candles: entry.candles,
    direction,
    trend_context,
    volume_ratio,
    strength: strength(x, index, entry.candles, signal, direction, trend_context, volume_ratio),
  };
}

/** TA-Lib's output of every pattern for every candle (0 before its lookback). */
function signalsOf(x: CandleContext): Int16Array[] {
  const signals = ENTRIES.map(() => new Int16Array(x.close.length));
  scanBarPatterns(x, LOOKBACKS, signals);
  ENTRIES.forEach((entry, k) => {
    if (typeof entry.detect !== 'function') entry.detect.scan(x, (index, signal) => (signals[k]![index] = signal));
  });
  return signals;
}
const LOOKBACKS = Int32Array.from(ENTRIES, (entry) => entry.lookback);

/**
 * `windowStart`: the first candle of the reported window, when the candles before it are a
 * warm-up. Only hits that lie wholly inside the window are returned, their `index` counted
 * from the window's first candle; the warm-up still feeds the averages and the trend context.
 */
export function detectCandlestickPatterns(
  candles: readonly Candle[],
  context: CandleContext = buildCandleContext(candles),
  windowStart = 0,
): CandlestickHit[] {
  const signals = signalsOf(context);
  const length = candles.length;
  // Counting sort by candle: each pattern's hits found in one pass over its row (from the
  // first candle whose pattern lies wholly in the window: n candles ending at i start at
  // i − n + 1), then placed in slots per candle pattern by pattern, so that within a candle
  // the hits keep TA-Lib's function order.
  const start = new Int32Array(length + 1);
  const found = signals.map((row, k) => {
    const indices: number[] = [];
    for (let index = windowStart + ENTRIES[k]!.candles - 1; index < length; index += 1) {
      if (row[index] === 0) continue;
      indices.push(index);
      start[index + 1]! += 1;
    }
    return indices;
  });
  for (let index = 0; index < length; index += 1) start[index + 1]! += start[index]!;
  const total = start[length]!;
  const slotEntry = new Int32Array(total);
  const slotSignal = new Int32Array(total);
  const slotIndex = new Int32Array(total);
  const next = start.subarray(0, length);
  found.forEach((indices, k) => {
    const row = signals[k]!;
    for (const index of indices) {
      const slot = next[index]!++;
      slotEntry[slot] = k;
      slotSignal[slot] = row[index]!;
      slotIndex[slot] = index;
    }
  });
  const hits = new Array<CandlestickHit>(total);
  const cache: ContextCache = { first: -1, direction: undefined, value: undefined };
  for (let slot = 0; slot < total; slot += 1)
    hits[slot] = hitOf(context, ENTRIES[slotEntry[slot]!]!, slotIndex[slot]!, slotSignal[slot]!, cache, windowStart);
  return hits;
}

const ORDINAL = new Map(CANDLESTICK_PATTERNS.map((pattern, k) => [pattern, k]));

export function countByPattern(hits: readonly CandlestickHit[]): Record<CandlestickPatternName, number> {
  // Tallied by ordinal: a keyed increment on a 61-key record per hit cost about 50 ns.
  const tally = new Int32Array(CANDLESTICK_PATTERNS.length);
  for (const hit of hits) tally[ORDINAL.get(hit.pattern)!]! += 1;
  return Object.fromEntries(CANDLESTICK_PATTERNS.map((pattern, k) => [pattern, tally[k]!])) as Record<
    CandlestickPatternName,
    number
  >;
}
