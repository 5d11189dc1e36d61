/** Swing pivots, price levels, the window's trend and the chart patterns built on them. */

export interface Pivot {
  kind: 'high' | 'low';
  index: number;
  time: number;
  price: number;
}

export interface PriceLevel {
  kind: 'support' | 'resistance';
  /** Mean price of the clustered pivots. */
  price: number;
  /** Pivots in the cluster: how often price turned at this level. */
  touches: number;
  firstTouchTime: number;
  lastTouchTime: number;
  /** Index of the second touch: the level exists from here on. */
  establishedIndex: number;
  /** 0..1: more touches and more recent touches score higher. */
  confidence: number;
}

export interface TrendEstimate {
  direction: 'up' | 'down' | 'sideways';
  /** R² of the least-squares line through the closes, 0..1. */
  strength: number;
  slopePerCandle: number;
  /** The fitted line's change over the window, as a percentage of its start. */
  changePercent: number;
  /** The fitted line's change over the window, in average candle ranges. */
  changeInRanges: number;
}

export const CHART_PATTERNS = ['double_top', 'double_bottom', 'head_and_shoulders', 'inverse_head_and_shoulders', 'breakout'] as const;
export type ChartPatternName = (typeof CHART_PATTERNS)[number];

export interface PatternPoint {
  label: string;
  index: number;
  time: number;
  price: number;
}

export interface ChartPatternHit {
  pattern: ChartPatternName;
  direction: 'bullish' | 'bearish';
  startIndex: number;
  endIndex: number;
  startTime: number;
  endTime: number;
  /** The pattern's defining pivots (tops, troughs, head, shoulders) or the breakout candle. */
  points: PatternPoint[];
  /** The neckline (at the last point) or the broken level. */
  level: number;
  /** True once a close went through the neckline (always true for a breakout). */
  confirmed: boolean;
  confirmedTime?: number;
  confidence: number;
}
