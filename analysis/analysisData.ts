/**
 * The JSON stored as a job's `analysis_data` (documented in docs/analysis-data.md).
 * Compact whatever the window: latest indicator values, not their series; pattern counts
 * plus the most recent hits; the chosen levels. Snake case, like the job's own fields.
 */
import type { AnalysisReport } from './analyzeSeries.js';
import type { CandleSeries, DataSource } from './candles.js';
import { HORIZONS, MIN_OCCURRENCES } from './chartPatterns/hitRates.js';
import type { ChartPatternName, PatternStatus } from './chartPatterns/chartPatternTypes.js';
import {
  bandPosition,
  macdState,
  percentB,
  round,
  roundPrice,
  rsiState,
  type BandPosition,
  type MacdState,
  type RsiState,
} from './indicators/indicatorStates.js';
import type { CandlestickPatternName, Direction, TalibFunction, TrendContext } from './patterns/candlestickTypes.js';
import { countByPattern } from './patterns/detectCandlestickPatterns.js';

/** Hits kept per kind; counts always cover the whole window. */
export const RECENT_CANDLESTICK_HITS = 25;
export const RECENT_CHART_PATTERNS = 15;

export interface AnalysisData {
  schema_version: 1;
  symbol: string;
  interval: string;
  timeframe: string;
  data_source: DataSource;
  /** True for generated candles: never to be read as market prices. */
  synthetic: boolean;
  source_detail: string | null;
  candle_count: number;
  window: { start: string | null; end: string | null };
  /** Candles before the window the indicators converged on; `indicators_from` is the first window time with every indicator reported. */
  warmup: { candles: number; indicators_from: string | null };
  price: {
    first_open: number;
    last_close: number;
    high: number;
    low: number;
    change_percent: number;
    last_volume: number;
    mean_range: number;
  };
  indicators: {
    sma_fast: { period: number; value: number | null };
    sma_slow: { period: number; value: number | null };
    ema_fast: { period: number; value: number | null };
    ema_slow: { period: number; value: number | null };
    rsi: { period: number; value: number | null; state: RsiState | null };
    macd: {
      fast: number;
      slow: number;
      signal_period: number;
      line: number | null;
      signal: number | null;
      histogram: number | null;
      state: MacdState | null;
    };
    bollinger: {
      period: number;
      deviations: number;
      upper: number | null;
      middle: number | null;
      lower: number | null;
      percent_b: number | null;
      position: BandPosition | null;
    };
    atr: { period: number; value: number | null; percent_of_price: number | null };
    volume: { period: number; average: number | null; last: number; ratio: number | null };
  };
  trend: { direction: 'up' | 'down' | 'sideways'; strength: number; change_percent: number; change_in_ranges: number };
  levels: {
    kind: 'support' | 'resistance';
    price: number;
    touches: number;
    first_touch: string;
    last_touch: string;
    distance_in_ranges: number;
    confidence: number;
  }[];
  candlestick_patterns: {
    counts: Record<CandlestickPatternName, number>;
    recent: {
      pattern: CandlestickPatternName;
      time: string;
      index: number;
      candles: number;
      direction: Direction;
      strength: number;
      talib: TalibFunction;
      signal: number;
      trend_context: TrendContext;
      volume_ratio: number | null;
    }[];
  };
  /** How the close moved 5, 10 and 20 candles after each pattern kind's past occurrences in this window. */
  statistics: {
    horizons: number[];
    min_occurrences: number;
    patterns: {
      pattern: string;
      direction: 'bullish' | 'bearish' | 'neutral';
      occurrences: number;
      meaningful: boolean;
      after: { bars: number; count: number; in_direction: number | null; median_return_percent: number | null }[];
    }[];
  };
  chart_patterns: {
    counts: Partial<Record<ChartPatternName, number>>;
    recent: {
      pattern: ChartPatternName;
      direction: 'bullish' | 'bearish';
      start: string;
      end: string;
      level: number;
      confirmed: boolean;
      status: PatternStatus;
      confirmed_at: string | null;
      failed_at: string | null;
      invalidation: number;
      volatility: number;
      confidence: number;
      points: { label: string; time: string; price: number }[];
      lines: { label: 'upper' | 'lower'; start: string; start_price: number; end: string; end_price: number }[] | null;
    }[];
  };
}

const iso = (time: number): string => new Date(time).toISOString();
const orNull = (value: number | undefined, digits?: number): number | null =>
  value === undefined ? null : digits === undefined ? roundPrice(value) : round(value, digits);

export function buildAnalysisData(series: CandleSeries, report: AnalysisReport): AnalysisData {
  const { latest, indicators } = report;
  const settings = indicators.settings;
  const chartCounts: Partial<Record<ChartPatternName, number>> = {};
  for (const hit of report.chartPatterns) chartCounts[hit.pattern] = (chartCounts[hit.pattern] ?? 0) + 1;
  const empty = report.candleCount === 0;
  return {
    schema_version: 1,
    symbol: series.symbol,
    interval: series.interval,
    timeframe: series.timeframe,
    data_source: series.source,
    synthetic: series.source === 'synthetic',
    source_detail: series.sourceDetail ?? null,
    candle_count: report.candleCount,
    window: { start: empty ? null : iso(report.firstTime), end: empty ? null : iso(report.lastTime) },
    warmup: {
      candles: report.warmupCount,
      indicators_from:
        report.indicatorsFrom < report.candleCount ? iso(series.candles[report.indicatorsFrom]!.time) : null,
    },
    price: {
      first_open: roundPrice(report.firstOpen),
      last_close: roundPrice(report.lastClose),
      high: roundPrice(report.high),
      low: roundPrice(report.low),
      change_percent: round(report.changePercent, 3),
      last_volume: roundPrice(report.lastVolume),
      mean_range: roundPrice(report.meanRange),
    },
    indicators: {
      sma_fast: { period: settings.smaFast, value: orNull(latest.smaFast) },
      sma_slow: { period: settings.smaSlow, value: orNull(latest.smaSlow) },
      ema_fast: { period: settings.emaFast, value: orNull(latest.emaFast) },
      ema_slow: { period: settings.emaSlow, value: orNull(latest.emaSlow) },
      rsi: {
        period: settings.rsi,
        value: orNull(latest.rsi, 2),
        state: latest.rsi === undefined ? null : rsiState(latest.rsi),
      },
      macd: {
        fast: settings.macd.fast,
        slow: settings.macd.slow,
        signal_period: settings.macd.signal,
        line: orNull(latest.macd?.line),
        signal: orNull(latest.macd?.signal),
        histogram: orNull(latest.macd?.histogram),
        state: latest.macd ? macdState(latest.macd) : null,
      },
      bollinger: {
        period: settings.bollinger.period,
        deviations: settings.bollinger.deviations,
        upper: orNull(latest.bollinger?.upper),
        middle: orNull(latest.bollinger?.middle),
        lower: orNull(latest.bollinger?.lower),
        percent_b: latest.bollinger ? round(percentB(report.lastClose, latest.bollinger), 3) : null,
        position: latest.bollinger ? bandPosition(report.lastClose, latest.bollinger) : null,
      },
      atr: {
        period: settings.atr,
        value: orNull(latest.atr),
        percent_of_price:
          latest.atr !== undefined && report.lastClose > 0 ? round((latest.atr / report.lastClose) * 100, 3) : null,
      },
      volume: {
        period: settings.volume,
        average: orNull(latest.averageVolume),
        last: roundPrice(report.lastVolume),
        ratio: latest.averageVolume ? round(report.lastVolume / latest.averageVolume, 2) : null,
      },
    },
    trend: {
      direction: report.trend.direction,
      strength: report.trend.strength,
      change_percent: report.trend.changePercent,
      change_in_ranges: report.trend.changeInRanges,
    },
    levels: report.levels.map((level) => ({
      kind: level.kind,
      price: roundPrice(level.price),
      touches: level.touches,
      first_touch: iso(level.firstTouchTime),
      last_touch: iso(level.lastTouchTime),
      distance_in_ranges: level.distance,
      confidence: level.confidence,
    })),
    candlestick_patterns: {
      counts: countByPattern(report.candlestickPatterns),
      recent: report.candlestickPatterns.slice(-RECENT_CANDLESTICK_HITS).map((hit) => ({
        pattern: hit.pattern,
        time: iso(hit.time),
        index: hit.index,
        candles: hit.candles,
        direction: hit.direction,
        strength: hit.strength,
        talib: hit.talib,
        signal: hit.signal,
        trend_context: hit.trend_context,
        volume_ratio: hit.volume_ratio,
      })),
    },
    statistics: {
      horizons: [...HORIZONS],
      min_occurrences: MIN_OCCURRENCES,
      patterns: report.hitRates.map((rate) => ({
        pattern: rate.pattern,
        direction: rate.direction,
        occurrences: rate.occurrences,
        meaningful: rate.meaningful,
        after: rate.horizons.map((horizon) => ({
          bars: horizon.bars,
          count: horizon.count,
          in_direction: horizon.inDirection,
          median_return_percent: horizon.medianReturn,
        })),
      })),
    },
    chart_patterns: {
      counts: chartCounts,
      recent: report.chartPatterns.slice(-RECENT_CHART_PATTERNS).map((hit) => ({
        pattern: hit.pattern,
        direction: hit.direction,
        start: iso(hit.startTime),
        end: iso(hit.endTime),
        level: roundPrice(hit.level),
        confirmed: hit.confirmed,
        status: hit.status,
        confirmed_at: hit.confirmedTime === undefined ? null : iso(hit.confirmedTime),
        failed_at: hit.failedTime === undefined ? null : iso(hit.failedTime),
        invalidation: roundPrice(hit.invalidation),
        volatility: roundPrice(hit.volatility),
        confidence: hit.confidence,
        points: hit.points.map((point) => ({
          label: point.label,
          time: iso(point.time),
          price: roundPrice(point.price),
        })),
        lines: hit.lines
          ? hit.lines.map((line) => ({
              label: line.label,
              start: iso(series.candles[line.startIndex]!.time),
              start_price: roundPrice(line.startPrice),
              end: iso(series.candles[line.endIndex]!.time),
              end_price: roundPrice(line.endPrice),
            }))
          : null,
      })),
    },
  };
}
