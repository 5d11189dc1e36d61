/**
 * Everything a job computes from its candles: indicators, candlestick patterns, pivots,
 * support and resistance, trend and chart patterns. Pure and deterministic.
 * Indicators and the per-candle yardsticks are computed over warm-up + window so that a
 * value does not depend on how long the window is; everything reported (indices included)
 * is about the window alone.
 */
import type { CandleSeries } from './candles.js';
import type { ChartPatternHit, Pivot, PriceLevel, TrendEstimate } from './chartPatterns/chartPatternTypes.js';
import { detectChartPatterns, meanRangeOf } from './chartPatterns/detectChartPatterns.js';
import { patternHitRates, type Occurrence, type PatternHitRate } from './chartPatterns/hitRates.js';
import { computeIndicators, lastDefined, type IndicatorSeries } from './indicators/computeIndicators.js';
import { warmedUpFrom, windowIndicators } from './indicators/indicatorWarmup.js';
import { buildCandleContext } from './patterns/candleContext.js';
import type { CandlestickHit } from './patterns/candlestickTypes.js';
import { detectCandlestickPatterns } from './patterns/detectCandlestickPatterns.js';

export interface LatestIndicators {
  smaFast?: number;
  smaSlow?: number;
  emaFast?: number;
  emaSlow?: number;
  rsi?: number;
  macd?: { line: number; signal: number; histogram: number };
  bollinger?: { upper: number; middle: number; lower: number };
  atr?: number;
  averageVolume?: number;
}

export interface AnalysisReport {
  candleCount: number;
  /** Open time of the first and the last candle (epoch ms); 0 for an empty series. */
  firstTime: number;
  lastTime: number;
  firstOpen: number;
  lastClose: number;
  high: number;
  low: number;
  changePercent: number;
  lastVolume: number;
  /** Mean high − low over the window: the yardstick the chart patterns are measured in. */
  meanRange: number;
  /** Candles before the window that the indicators warmed up on. */
  warmupCount: number;
  /** First window index where every indicator has converged (0 when the warm-up sufficed). */
  indicatorsFrom: number;
  /** One value per window candle (NaN until the indicator converged); used by the chart, not stored. */
  indicators: IndicatorSeries;
  latest: LatestIndicators;
  trend: TrendEstimate;
  pivots: Pivot[];
  levels: PriceLevel[];
  candlestickPatterns: CandlestickHit[];
  chartPatterns: ChartPatternHit[];
  /** Forward returns after each pattern kind's past occurrences in this window. */
  hitRates: PatternHitRate[];
}

export function analyzeSeries(series: CandleSeries): AnalysisReport {
  const { candles } = series;
  const warmup = series.warmup ?? [];
  const offset = warmup.length;
  const all = offset > 0 ? [...warmup, ...candles] : candles;
  const computed = computeIndicators(all);
  const indicators = windowIndicators(computed, offset);
  const context = buildCandleContext(all);
  const candlestickPatterns = detectCandlestickPatterns(all, context, offset);
  const chart = detectChartPatterns(
    candles,
    context.averageRange.subarray(offset),
    context.averageVolume.subarray(offset),
  );
  const first = candles[0];
  const last = candles.at(-1);
  let high = Number.NEGATIVE_INFINITY;
  let low = Number.POSITIVE_INFINITY;
  for (const candle of candles) {
    if (candle.high > high) high = candle.high;
    if (candle.low < low) low = candle.low;
  }
  return {
    candleCount: candles.length,
    firstTime: first?.time ?? 0,
    lastTime: last?.time ?? 0,
    firstOpen: first?.open ?? 0,
    lastClose: last?.close ?? 0,
    high: first ? high : 0,
    low: first ? low : 0,
    changePercent: first && last && first.open !== 0 ? ((last.close - first.open) / first.open) * 100 : 0,
    lastVolume: last?.volume ?? 0,
    meanRange: meanRangeOf(candles),
    warmupCount: offset,
    indicatorsFrom: Math.min(candles.length, warmedUpFrom(computed.settings, offset)),
    indicators,
    latest: latestIndicators(indicators),
    trend: chart.trend,
    pivots: chart.pivots,
    levels: chart.levels,
    candlestickPatterns,
    chartPatterns: chart.patterns,
    // A candlestick hit is an occurrence as it stands (its pattern, direction and index): no copy of thousands.
    hitRates: patternHitRates(
      candles,
      chart.patterns
        .map((hit): Occurrence => ({ pattern: hit.pattern, direction: hit.direction, index: hit.endIndex }))
        .concat(candlestickPatterns),
    ),
  };
}

export function latestIndicators(series: IndicatorSeries): LatestIndicators {
  const latest: LatestIndicators = {};
  const set = <K extends 'smaFast' | 'smaSlow' | 'emaFast' | 'emaSlow' | 'rsi' | 'atr' | 'averageVolume'>(key: K) => {
    const value = lastDefined(series[key]);
    if (value !== undefined) latest[key] = value;
  };
  (['smaFast', 'smaSlow', 'emaFast', 'emaSlow', 'rsi', 'atr', 'averageVolume'] as const).forEach(set);
  const line = lastDefined(series.macd.line);
  const signal = lastDefined(series.macd.signal);
  const histogram = lastDefined(series.macd.histogram);
  if (line !== undefined && signal !== undefined && histogram !== undefined) latest.macd = { line, signal, histogram };
  const upper = lastDefined(series.bollinger.upper);
  const middle = lastDefined(series.bollinger.middle);
  const lower = lastDefined(series.bollinger.lower);
  if (upper !== undefined && middle !== undefined && lower !== undefined) latest.bollinger = { upper, middle, lower };
  return latest;
}
