/** The candlestick patterns we detect and the shape of one hit. */
export const CANDLESTICK_PATTERNS = [
  'doji',
  'hammer',
  'inverted_hammer',
  'hanging_man',
  'shooting_star',
  'bullish_engulfing',
  'bearish_engulfing',
  'harami',
  'piercing_line',
  'dark_cloud_cover',
  'morning_star',
  'evening_star',
  'three_white_soldiers',
  'three_black_crows',
  'marubozu',
  'spinning_top',
] as const;
export type CandlestickPatternName = (typeof CANDLESTICK_PATTERNS)[number];

export type Direction = 'bullish' | 'bearish' | 'neutral';

export interface CandlestickHit {
  pattern: CandlestickPatternName;
  /** Open time of the pattern's last candle (epoch ms). */
  time: number;
  /** Index of the pattern's last candle in the series. */
  index: number;
  /** How many candles the pattern spans, ending at `index`. */
  candles: number;
  direction: Direction;
  /** 0..1: shape margin, size against the average range, prior trend and volume. */
  strength: number;
}

/** What a detector reports for a candle; the engine adds pattern, time, index and span. */
export interface DetectorResult {
  direction: Direction;
  strength: number;
}
