/**
 * The facts a summary may state, and nothing else: the rule-based template renders them and
 * the LLM is told to rephrase them without adding any. Numbers are already rounded for prose.
 */
import type { AnalysisReport } from '../analyzeSeries.js';
import type { CandleSeries } from '../candles.js';
import {
  bandPosition,
  macdState,
  round,
  roundPrice,
  rsiState,
  type BandPosition,
  type MacdState,
  type RsiState,
} from '../indicators/indicatorStates.js';
import type { Direction } from '../patterns/candlestickTypes.js';

/** Candlestick hits within this many final candles count as "recent". */
export const RECENT_CANDLES = 20;
export const MAX_RECENT_PATTERNS = 5;
export const MAX_CHART_PATTERNS = 3;

export interface SummaryFacts {
  symbol: string;
  interval: string;
  timeframe: string;
  dataSource: CandleSeries['source'];
  /** Generated candles: every summary must say so. */
  synthetic: boolean;
  candleCount: number;
  windowStart: string | null;
  windowEnd: string | null;
  lastClose: number;
  high: number;
  low: number;
  changePercent: number;
  trend: { direction: AnalysisReport['trend']['direction']; strength: number; changePercent: number };
  rsi: { value: number; state: RsiState } | null;
  macd: { state: MacdState; histogram: number } | null;
  bollinger: { position: BandPosition; upper: number; lower: number } | null;
  volumeRatio: number | null;
  /** Nearest first. */
  support: { price: number; touches: number }[];
  resistance: { price: number; touches: number }[];
  recentCandlestickPatterns: { pattern: string; direction: Direction; time: string; strength: number }[];
  /** Hit rates of the patterns named above, only those with enough past occurrences (10 candles on). */
  hitRates: {
    pattern: string;
    direction: 'bullish' | 'bearish' | 'neutral';
    occurrences: number;
    inDirection: number | null;
    medianReturn: number;
  }[];
  chartPatterns: {
    pattern: string;
    direction: 'bullish' | 'bearish';
    confirmed: boolean;
    status: 'unconfirmed' | 'confirmed' | 'failed';
    failedTime: string | null;
    level: number;
    time: string;
    confidence: number;
  }[];
}

/** `double_top` → `double top`. */
export const patternLabel = (name: string): string => name.replaceAll('_', ' ');

export function buildSummaryFacts(series: CandleSeries, report: AnalysisReport): SummaryFacts {
  const { latest } = report;
  const iso = (time: number) => new Date(time).toISOString();
  const empty = report.candleCount === 0;
  const levels = (kind: 'support' | 'resistance') =>
    report.levels
      .filter((level) => level.kind === kind)
      .map((level) => ({ price: roundPrice(level.price), touches: level.touches }));
  const recentFrom = report.candleCount - RECENT_CANDLES;
  return {
    symbol: series.symbol,
    interval: series.interval,
    timeframe: series.timeframe,
    dataSource: series.source,
    synthetic: series.source === 'synthetic',
    candleCount: report.candleCount,
    windowStart: empty ? null : iso(report.firstTime),
    windowEnd: empty ? null : iso(report.lastTime),
    lastClose: roundPrice(report.lastClose),
    high: roundPrice(report.high),
    low: roundPrice(report.low),
    changePercent: round(report.changePercent, 2),
    trend: {
      direction: report.trend.direction,
      strength: round(report.trend.strength, 2),
      changePercent: round(report.trend.changePercent, 2),
    },
    rsi: latest.rsi === undefined ? null : { value: round(latest.rsi, 1), state: rsiState(latest.rsi) },
    macd: latest.macd ? { state: macdState(latest.macd), histogram: roundPrice(latest.macd.histogram) } : null,
    bollinger: latest.bollinger
      ? {
          position: bandPosition(report.lastClose, latest.bollinger),
          upper: roundPrice(latest.bollinger.upper),
          lower: roundPrice(latest.bollinger.lower),
        }
      : null,
    volumeRatio: latest.averageVolume ? round(report.lastVolume / latest.averageVolume, 2) : null,
    support: levels('support'),
    resistance: levels('resistance'),
    recentCandlestickPatterns: report.candlestickPatterns
      .filter((hit) => hit.index >= recentFrom)
      .slice(-MAX_RECENT_PATTERNS)
      .map((hit) => ({
        pattern: patternLabel(hit.pattern),
        direction: hit.direction,
        time: iso(hit.time),
        strength: hit.strength,
      })),
    hitRates: hitRatesOf(report, recentFrom),
    chartPatterns: report.chartPatterns.slice(-MAX_CHART_PATTERNS).map((hit) => ({
      pattern: patternLabel(hit.pattern),
      direction: hit.direction,
      confirmed: hit.confirmed,
      status: hit.status,
      failedTime: hit.failedTime === undefined ? null : iso(hit.failedTime),
      level: roundPrice(hit.level),
      time: iso(hit.endTime),
      confidence: hit.confidence,
    })),
  };
}

function hitRatesOf(report: AnalysisReport, recentFrom: number): SummaryFacts['hitRates'] {
  const named = new Set([
    ...report.chartPatterns.slice(-MAX_CHART_PATTERNS).map((hit) => `${hit.pattern}:${hit.direction}`),
    ...report.candlestickPatterns
      .filter((hit) => hit.index >= recentFrom)
      .slice(-MAX_RECENT_PATTERNS)
      .map((hit) => `${hit.pattern}:${hit.direction}`),
  ]);
  return report.hitRates
    .filter((rate) => rate.meaningful && named.has(`${rate.pattern}:${rate.direction}`))
    .map((rate) => {
      const horizon = rate.horizons.find((entry) => entry.bars === 10)!;
      return {
        pattern: patternLabel(rate.pattern),
        direction: rate.direction,
        occurrences: horizon.count,
        inDirection: horizon.inDirection,
        medianReturn: round(horizon.medianReturn ?? 0, 2),
      };
    });
}
