/**
 * What became of a pattern after it formed: confirmed by a close beyond its trigger line by a
 * volatility margin, or failed by a close beyond its invalidation line by the same margin.
 * Failure counts before confirmation (the shape was void) and for `watch` candles after it
 * (the breakout reversed); a pattern that failed is never offered as unconfirmed.
 */
import type { Candle } from '../candles.js';

/** Margin, in local true ranges, a close must clear a line by. */
export const CLOSE_MARGIN = 0.5;

export interface OutcomeRule {
  /** First candle to examine (the one after the pattern's last point). */
  from: number;
  /** Last candle to examine before confirmation; undefined for the end of the series. */
  until?: number;
  /** Bullish patterns confirm above `trigger` and fail below `invalidation`; bearish the reverse. */
  bullish: boolean;
  trigger: (index: number) => number;
  invalidation: (index: number) => number;
  margin: number;
  /** Candles after confirmation during which a close back beyond the invalidation still fails it. */
  watch: number;
}

export interface Outcome {
  confirmedIndex?: number;
  failedIndex?: number;
}

export function patternOutcome(candles: readonly Candle[], rule: OutcomeRule): Outcome {
  const sign = rule.bullish ? 1 : -1;
  const last = Math.min(candles.length - 1, rule.until ?? candles.length - 1);
  let confirmedIndex: number | undefined;
  let end = last;
  for (let index = rule.from; index <= end; index += 1) {
    const close = candles[index]!.close;
    if (sign * (rule.invalidation(index) - close) > rule.margin)
      return confirmedIndex === undefined ? { failedIndex: index } : { confirmedIndex, failedIndex: index };
    if (confirmedIndex === undefined && sign * (close - rule.trigger(index)) > rule.margin) {
      confirmedIndex = index;
      end = Math.min(candles.length - 1, index + rule.watch);
    }
  }
  return confirmedIndex === undefined ? {} : { confirmedIndex };
}
