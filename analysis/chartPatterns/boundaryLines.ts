/**
 * Two straight boundaries through consecutive swing pivots: a least-squares line through the
 * highs and one through the lows. Triangles, wedges and channels are read from their slopes and
 * how the gap between them changes; all measures are in local true ranges (v).
 */
import type { Candle } from '../candles.js';
import type { Pivot } from './chartPatternTypes.js';

/** Pivots may sit at most this many v off their line. */
export const FIT_TOLERANCE = 0.6;
/** Closes may poke at most this many v through a line while the shape forms. */
export const CONTAINMENT = 0.5;
/** A line that moves less than this many v over the shape is flat. */
export const FLAT = 1;

export interface Line {
  slope: number;
  intercept: number;
}

export const lineAt = (line: Line, index: number): number => line.intercept + line.slope * index;

export interface Boundaries {
  pivots: readonly Pivot[];
  upper: Line;
  lower: Line;
  start: number;
  end: number;
  v: number;
  /** Change of each line from start to end, in v. */
  upperChange: number;
  lowerChange: number;
  startWidth: number;
  endWidth: number;
}

function fit(points: readonly Pivot[]): { line: Line; residual: number } {
  const n = points.length;
  let sx = 0;
  let sy = 0;
  for (const point of points) {
    sx += point.index;
    sy += point.price;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (const point of points) {
    sxy += (point.index - mx) * (point.price - my);
    sxx += (point.index - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const line = { slope, intercept: my - slope * mx };
  let residual = 0;
  for (const point of points) residual = Math.max(residual, Math.abs(point.price - lineAt(line, point.index)));
  return { line, residual };
}

export function fitBoundaries(pivots: readonly Pivot[], v: number): Boundaries | undefined {
  const highs = pivots.filter((pivot) => pivot.kind === 'high');
  const lows = pivots.filter((pivot) => pivot.kind === 'low');
  if (highs.length < 2 || lows.length < 2 || !(v > 0)) return undefined;
  const upper = fit(highs);
  const lower = fit(lows);
  if (upper.residual > FIT_TOLERANCE * v || lower.residual > FIT_TOLERANCE * v) return undefined;
  const start = pivots[0]!.index;
  const end = pivots.at(-1)!.index;
  const startWidth = lineAt(upper.line, start) - lineAt(lower.line, start);
  const endWidth = lineAt(upper.line, end) - lineAt(lower.line, end);
  if (startWidth < 2 * v || endWidth <= 0) return undefined;
  return {
    pivots,
    upper: upper.line,
    lower: lower.line,
    start,
    end,
    v,
    upperChange: (upper.line.slope * (end - start)) / v,
    lowerChange: (lower.line.slope * (end - start)) / v,
    startWidth,
    endWidth,
  };
}

/** True when no close between the first and last pivot went through a line by more than CONTAINMENT·v. */
export function contained(candles: readonly Candle[], boundaries: Boundaries): boolean {
  const margin = CONTAINMENT * boundaries.v;
  for (let index = boundaries.start; index <= boundaries.end; index += 1) {
    const close = candles[index]!.close;
    if (close > lineAt(boundaries.upper, index) + margin || close < lineAt(boundaries.lower, index) - margin)
      return false;
  }
  return true;
}

export const converging = (b: Boundaries, ratio: number): boolean => b.endWidth <= ratio * b.startWidth;
export const parallel = (b: Boundaries, tolerance: number): boolean =>
  Math.abs(b.endWidth - b.startWidth) <= tolerance * b.startWidth;
