/**
 * Whether an alert rule matches what an analysis found in its last bars. Pure: the rule, the
 * signals and the trend of the previous analysis of the same symbol and interval in, the
 * reasons it matched (empty: no match) out.
 */
import type { RecentPattern, RecentSignals } from './recentSignals.js';

export type AlertDirection = 'bullish' | 'bearish' | 'any';

export interface AlertCriteria {
  /** Pattern names (e.g. `head_and_shoulders`, `hammer`); empty with no other condition: any pattern. */
  patterns: readonly string[];
  trend_change: boolean;
  /** A breakout of a support or resistance level in the last bars. */
  level_break: boolean;
  direction: AlertDirection;
  min_strength: number;
  /** Empty: every symbol (interval) of the user. */
  symbols: readonly string[];
  intervals: readonly string[];
}

export interface AlertMatch {
  patterns: RecentPattern[];
  trend_change: { from: string; to: string } | null;
}

const TREND_SIDE = { up: 'bullish', down: 'bearish', sideways: undefined } as const;

export function appliesTo(criteria: AlertCriteria, symbol: string, interval: string): boolean {
  return (
    (criteria.symbols.length === 0 || criteria.symbols.includes(symbol)) &&
    (criteria.intervals.length === 0 || criteria.intervals.includes(interval))
  );
}

function sideMatches(criteria: AlertCriteria, direction: string | undefined): boolean {
  return criteria.direction === 'any' || direction === criteria.direction;
}

/** The match, or undefined when the rule does not fire on these signals. */
export function matchAlert(
  criteria: AlertCriteria,
  signals: RecentSignals,
  previousTrend: string | undefined,
): AlertMatch | undefined {
  const wantsPatterns = criteria.patterns.length > 0 || (!criteria.trend_change && !criteria.level_break);
  const strongEnough = (hit: RecentPattern) =>
    hit.strength >= criteria.min_strength && sideMatches(criteria, hit.direction);
  const patterns = wantsPatterns
    ? signals.patterns.filter(
        (hit) => (criteria.patterns.length === 0 || criteria.patterns.includes(hit.pattern)) && strongEnough(hit),
      )
    : [];
  const breaks = criteria.level_break
    ? signals.patterns.filter((hit) => hit.pattern === 'breakout' && strongEnough(hit) && !patterns.includes(hit))
    : [];
  const current = signals.trend.direction;
  const trendChanged =
    criteria.trend_change &&
    previousTrend !== undefined &&
    previousTrend !== current &&
    current !== 'sideways' &&
    sideMatches(criteria, TREND_SIDE[current]);
  if (patterns.length === 0 && breaks.length === 0 && !trendChanged) return undefined;
  return {
    patterns: [...patterns, ...breaks],
    trend_change: trendChanged ? { from: previousTrend, to: current } : null,
  };
}
