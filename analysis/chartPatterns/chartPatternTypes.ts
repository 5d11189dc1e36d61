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
  /** Index of the last touch. */
  lastTouchIndex: number;
  /** Distance from the last close in local true ranges. */
  distance: number;
  /** 0..1: more touches, more recent touches and nearer prices score higher. */
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
  /** The fitted line's value at the window's first candle (the line is intercept + slopePerCandle · index). */
  intercept: number;
}

export const CHART_PATTERNS = [
  'double_top',
  'double_bottom',
  'head_and_shoulders',
  'inverse_head_and_shoulders',
  'ascending_triangle',
  'descending_triangle',
  'symmetric_triangle',
  'rising_wedge',
  'falling_wedge',
  'bull_flag',
  'bear_flag',
  'bull_pennant',
  'bear_pennant',
  'channel_up',
  'channel_down',
  'breakout',
] as const;
export type ChartPatternName = (typeof CHART_PATTERNS)[number];

export interface PatternPoint {
  label: string;
  index: number;
  time: number;
  price: number;
}

/** unconfirmed: formed, not yet triggered; confirmed: a close went through the trigger line; failed: a close went through the invalidation line. */
export type PatternStatus = 'unconfirmed' | 'confirmed' | 'failed';

/** A straight boundary of the pattern (trend lines of triangles, wedges, channels, flags). */
export interface PatternLine {
  label: 'upper' | 'lower';
  startIndex: number;
  startPrice: number;
  endIndex: number;
  endPrice: number;
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
  /** True once a close went through the trigger line by a volatility margin (always true for a breakout), even if it failed later. */
  confirmed: boolean;
  confirmedTime?: number;
  status: PatternStatus;
  /** The price beyond which the pattern is void (the peaks of a double top, the head, the opposite boundary). */
  invalidation: number;
  failedIndex?: number;
  failedTime?: number;
  /** Boundary lines, for patterns drawn with them. */
  lines?: PatternLine[];
  /** Mean true range around the pattern: the yardstick its thresholds were measured in. */
  volatility: number;
  confidence: number;
}

/** What a pair of boundary lines is, as the triangle, wedge and channel classifiers name it. */
export interface BoundedKind {
  pattern: ChartPatternName;
  bullish: boolean;
}
