/**
 * What a watchlist scan reports per symbol and interval, and what alert rules match against:
 * the patterns found in the last few bars of an analysis, its trend and the nearest support
 * and resistance. Pure: it reads a finished analysis's data, nothing else.
 */
import type { AnalysisData } from './analysisData.js';
import { type Interval, intervalMs } from './intervals.js';

/** Bars at the end of the window whose patterns count as "found now". */
export const RECENT_BARS = 3;

export interface RecentPattern {
  kind: 'candlestick' | 'chart';
  pattern: string;
  direction: 'bullish' | 'bearish' | 'neutral';
  /** Judged strength (candlesticks) or confidence (chart patterns), 0 to 1. */
  strength: number;
  /** The bar the pattern ended on (ISO 8601). */
  time: string;
}

export interface NearestLevel {
  price: number;
  distance_in_ranges: number;
}

export interface RecentSignals {
  last_bar: string | null;
  last_close: number;
  patterns: RecentPattern[];
  trend: { direction: 'up' | 'down' | 'sideways'; strength: number };
  support: NearestLevel | null;
  resistance: NearestLevel | null;
}

function nearest(data: AnalysisData, kind: 'support' | 'resistance'): NearestLevel | null {
  // Levels are listed nearest first per side.
  const level = data.levels.find((candidate) => candidate.kind === kind);
  return level ? { price: level.price, distance_in_ranges: level.distance_in_ranges } : null;
}

export function recentSignals(data: AnalysisData, bars: number = RECENT_BARS): RecentSignals {
  const lastBar = data.window.end;
  const cutoff = lastBar === null ? Infinity : Date.parse(lastBar) - (bars - 1) * intervalMs(data.interval as Interval);
  const candlesticks: RecentPattern[] = data.candlestick_patterns.recent
    .filter((hit) => hit.index >= data.candle_count - bars)
    .map((hit) => ({
      kind: 'candlestick',
      pattern: hit.pattern,
      direction: hit.direction,
      strength: hit.strength,
      time: hit.time,
    }));
  const charts: RecentPattern[] = data.chart_patterns.recent
    .filter((hit) => Date.parse(hit.end) >= cutoff && hit.status !== 'failed')
    .map((hit) => ({
      kind: 'chart',
      pattern: hit.pattern,
      direction: hit.direction,
      strength: hit.confidence,
      time: hit.end,
    }));
  return {
    last_bar: lastBar,
    last_close: data.price.last_close,
    patterns: [...charts, ...candlesticks],
    trend: { direction: data.trend.direction, strength: data.trend.strength },
    support: nearest(data, 'support'),
    resistance: nearest(data, 'resistance'),
  };
}

/** A stored analysis_data we can read: the current schema; older or foreign documents are not. */
export function isAnalysisData(value: unknown): value is AnalysisData {
  return typeof value === 'object' && value !== null && (value as { schema_version?: unknown }).schema_version === 1;
}
