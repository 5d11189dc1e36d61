/**
 * Runs all 61 TA-Lib candlestick definitions over a series and returns the hits in candle
 * order (within a candle, in TA-Lib's function order), each with our judgement attached.
 */
import type { Candle } from '../candles.js';
import { buildCandleContext, type CandleContext } from './candleContext.js';
import { PATTERN_SPECS } from './candlestickCatalog.js';
import { strength, trendContext, volumeRatio } from './candlestickJudgement.js';
import { CANDLESTICK_PATTERNS, type BarDetector, type CandlestickHit, type CandlestickPatternName, type PatternSpec, TALIB_FUNCTIONS } from './candlestickTypes.js';

function hitOf(x: CandleContext, spec: PatternSpec, index: number, signal: number): CandlestickHit {
  const direction = spec.neutral ? 'neutral' : signal > 0 ? 'bullish' : 'bearish';
  const first = Math.max(0, index - spec.candles + 1);
  const partial = {
    pattern: spec.pattern,
    talib: TALIB_FUNCTIONS[spec.pattern],
    signal,
    time: x.candles[index]!.time,
    index,
    candles: spec.candles,
    direction,
    trend_context: trendContext(x, first, direction),
    volume_ratio: volumeRatio(x, first, index),
  } as const;
  return { ...partial, strength: strength(x, partial) };
}

export function detectCandlestickPatterns(candles: readonly Candle[], context: CandleContext = buildCandleContext(candles)): CandlestickHit[] {
  const length = candles.length;
  const bar: { spec: PatternSpec; detect: BarDetector }[] = [];
  // Stateful scanners run first, into one signal array each, read back in candle order below.
  const scanned: { spec: PatternSpec; signals: Int16Array }[] = [];
  for (const spec of PATTERN_SPECS) {
    if (typeof spec.detect === 'function') bar.push({ spec, detect: spec.detect });
    else {
      const signals = new Int16Array(length);
      spec.detect.scan(context, (index, signal) => (signals[index] = signal));
      scanned.push({ spec, signals });
    }
  }
  const hits: CandlestickHit[] = [];
  for (let index = 0; index < length; index += 1) {
    for (const { spec, detect } of bar) {
      if (index < spec.lookback) continue;
      const signal = detect(context, index);
      if (signal !== 0) hits.push(hitOf(context, spec, index, signal));
    }
    for (const { spec, signals } of scanned) if (signals[index] !== 0) hits.push(hitOf(context, spec, index, signals[index]!));
  }
  return hits;
}

export function countByPattern(hits: readonly CandlestickHit[]): Record<CandlestickPatternName, number> {
  const counts = Object.fromEntries(CANDLESTICK_PATTERNS.map((pattern) => [pattern, 0])) as Record<CandlestickPatternName, number>;
  for (const hit of hits) counts[hit.pattern] += 1;
  return counts;
}
