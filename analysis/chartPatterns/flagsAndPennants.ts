/**
 * Flags and pennants: a pole (a close-to-close move of at least POLE_MOVE·v within 3 to 12
 * candles, at least POLE_SPEED·v a candle, ending at its extreme close) followed by 4 to 20 candles of consolidation that give
 * back at most half the pole and do not drift on in its direction. Lines through the
 * consolidation's highs and lows are drawn; a pennant narrows (its second half spans ≤ 60% of
 * its first half's range), a flag does not. Confirmed
 * by a close beyond the consolidation's far line in the pole's direction by the margin; failed
 * by a close beyond its other extreme.
 */
import type { Candle } from '../candles.js';
import { FLAT, lineAt, type Line } from './boundaryLines.js';
import type { ChartPatternHit } from './chartPatternTypes.js';
import { patternHit } from './patternHit.js';
import { CLOSE_MARGIN, patternOutcome } from './patternOutcome.js';
import type { Volatility } from './volatility.js';

export const POLE_MOVE = 4;
/** A pole is steep: a steady drift of the same size is a trend, not a pole. */
export const POLE_SPEED = 0.8;
export const POLE_BARS = { min: 3, max: 12 } as const;
export const FLAG_BARS = { min: 4, max: 20 } as const;
export const MAX_RETRACE = 0.5;

function regression(from: number, to: number, value: (index: number) => number): Line {
  const n = to - from + 1;
  const mx = (from + to) / 2;
  let my = 0;
  for (let index = from; index <= to; index += 1) my += value(index);
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let index = from; index <= to; index += 1) {
    sxy += (index - mx) * (value(index) - my);
    sxx += (index - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { slope, intercept: my - slope * mx };
}

function rangeOf(candles: readonly Candle[], from: number, to: number): number {
  let high = Number.NEGATIVE_INFINITY;
  let low = Number.POSITIVE_INFINITY;
  for (let index = from; index <= to; index += 1) {
    high = Math.max(high, candles[index]!.high);
    low = Math.min(low, candles[index]!.low);
  }
  return high - low;
}

export function findFlagsAndPennants(candles: readonly Candle[], volatility: Volatility): ChartPatternHit[] {
  const hits: ChartPatternHit[] = [];
  for (let top: number = POLE_BARS.min; top + FLAG_BARS.min < candles.length; top += 1) {
    const v = volatility.around(top - POLE_BARS.max, top);
    const end = candles[top]!.close;
    let base = -1;
    for (let length = POLE_BARS.min; length <= POLE_BARS.max && top - length >= 0; length += 1) {
      if (base < 0 || Math.abs(end - candles[top - length]!.close) > Math.abs(end - candles[base]!.close))
        base = top - length;
    }
    const height = end - candles[base]!.close;
    if (Math.abs(height) < POLE_MOVE * v || Math.abs(height) < POLE_SPEED * v * (top - base)) continue;
    const bullish = height > 0;
    const sign = bullish ? 1 : -1;
    let extreme = true; // the pole ends at its most extreme close
    for (let index = base; index < top; index += 1) if (sign * (candles[index]!.close - end) >= 0) extreme = false;
    if (!extreme) continue;
    const hit = consolidation(candles, base, top, bullish, Math.abs(height), v);
    if (hit) {
      hits.push(hit);
      top = hit.endIndex;
    }
  }
  return hits;
}

function consolidation(
  candles: readonly Candle[],
  base: number,
  top: number,
  bullish: boolean,
  height: number,
  v: number,
): ChartPatternHit | undefined {
  const sign = bullish ? 1 : -1;
  const poleEnd = candles[top]!.close;
  const margin = CLOSE_MARGIN * v;
  let last = top;
  let high = Number.NEGATIVE_INFINITY;
  let low = Number.POSITIVE_INFINITY;
  for (let index = top + 1; index < candles.length && index - top <= FLAG_BARS.max; index += 1) {
    const candle = candles[index]!;
    const far = bullish ? high : low; // the consolidation's extreme in the pole's direction so far
    if (index - top > FLAG_BARS.min && sign * (candle.close - far) > margin) break; // the breakout candle
    if (sign * (poleEnd - (bullish ? candle.low : candle.high)) > MAX_RETRACE * height) return undefined; // gave back too much: no flag
    high = Math.max(high, candle.high);
    low = Math.min(low, candle.low);
    last = index;
  }
  if (last - top < FLAG_BARS.min) return undefined;
  const upper = regression(top + 1, last, (index) => candles[index]!.high);
  const lower = regression(top + 1, last, (index) => candles[index]!.low);
  const span = last - top - 1;
  const drift = ((upper.slope + lower.slope) / 2) * span;
  if (sign * drift > FLAT * v) return undefined; // still running with the pole: no pause
  const middle = top + 1 + Math.floor((last - top) / 2);
  const pennant = rangeOf(candles, middle, last) <= 0.6 * rangeOf(candles, top + 1, middle - 1);
  const trigger = bullish ? upper : lower;
  const invalidation = bullish ? low : high;
  const outcome = patternOutcome(candles, {
    from: last + 1,
    until: last + span + 1,
    bullish,
    trigger: (index) => lineAt(trigger, index),
    invalidation: () => invalidation,
    margin,
    watch: last - base,
  });
  const lineEnd = Math.min(candles.length - 1, outcome.confirmedIndex ?? outcome.failedIndex ?? last);
  const line = (label: 'upper' | 'lower', fitted: Line) => ({
    label,
    startIndex: top + 1,
    startPrice: lineAt(fitted, top + 1),
    endIndex: lineEnd,
    endPrice: lineAt(fitted, lineEnd),
  });
  const retrace = (sign * (poleEnd - (bullish ? low : high))) / height;
  return patternHit(candles, {
    pattern: `${bullish ? 'bull' : 'bear'}_${pennant ? 'pennant' : 'flag'}`,
    bullish,
    points: [
      ['pole start', { index: base, price: candles[base]!.close }],
      ['pole end', { index: top, price: poleEnd }],
      ['consolidation end', { index: last, price: candles[last]!.close }],
    ],
    level: (index) => lineAt(trigger, index),
    invalidation,
    outcome,
    quality: 0.3 + 0.3 * Math.max(0, 1 - retrace / MAX_RETRACE),
    confirmationWeight: 0.4,
    volatility: v,
    lines: [line('upper', upper), line('lower', lower)],
  });
}
