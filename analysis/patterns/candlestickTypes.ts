/** The candlestick patterns we detect (TA-Lib's 61) and the shape of one hit. */
import type { CandleContext } from './candleContext.js';

/** Our name for each TA-Lib candlestick function, in TA-Lib's order. */
export const TALIB_FUNCTIONS = {
  two_crows: 'CDL2CROWS',
  three_black_crows: 'CDL3BLACKCROWS',
  three_inside: 'CDL3INSIDE',
  three_line_strike: 'CDL3LINESTRIKE',
  three_outside: 'CDL3OUTSIDE',
  three_stars_in_south: 'CDL3STARSINSOUTH',
  three_white_soldiers: 'CDL3WHITESOLDIERS',
  abandoned_baby: 'CDLABANDONEDBABY',
  advance_block: 'CDLADVANCEBLOCK',
  belt_hold: 'CDLBELTHOLD',
  breakaway: 'CDLBREAKAWAY',
  closing_marubozu: 'CDLCLOSINGMARUBOZU',
  concealing_baby_swallow: 'CDLCONCEALBABYSWALL',
  counterattack: 'CDLCOUNTERATTACK',
  dark_cloud_cover: 'CDLDARKCLOUDCOVER',
  doji: 'CDLDOJI',
  doji_star: 'CDLDOJISTAR',
  dragonfly_doji: 'CDLDRAGONFLYDOJI',
  engulfing: 'CDLENGULFING',
  evening_doji_star: 'CDLEVENINGDOJISTAR',
  evening_star: 'CDLEVENINGSTAR',
  gap_side_side_white: 'CDLGAPSIDESIDEWHITE',
  gravestone_doji: 'CDLGRAVESTONEDOJI',
  hammer: 'CDLHAMMER',
  hanging_man: 'CDLHANGINGMAN',
  harami: 'CDLHARAMI',
  harami_cross: 'CDLHARAMICROSS',
  high_wave: 'CDLHIGHWAVE',
  hikkake: 'CDLHIKKAKE',
  hikkake_modified: 'CDLHIKKAKEMOD',
  homing_pigeon: 'CDLHOMINGPIGEON',
  identical_three_crows: 'CDLIDENTICAL3CROWS',
  in_neck: 'CDLINNECK',
  inverted_hammer: 'CDLINVERTEDHAMMER',
  kicking: 'CDLKICKING',
  kicking_by_length: 'CDLKICKINGBYLENGTH',
  ladder_bottom: 'CDLLADDERBOTTOM',
  long_legged_doji: 'CDLLONGLEGGEDDOJI',
  long_line: 'CDLLONGLINE',
  marubozu: 'CDLMARUBOZU',
  matching_low: 'CDLMATCHINGLOW',
  mat_hold: 'CDLMATHOLD',
  morning_doji_star: 'CDLMORNINGDOJISTAR',
  morning_star: 'CDLMORNINGSTAR',
  on_neck: 'CDLONNECK',
  piercing_line: 'CDLPIERCING',
  rickshaw_man: 'CDLRICKSHAWMAN',
  rising_falling_three_methods: 'CDLRISEFALL3METHODS',
  separating_lines: 'CDLSEPARATINGLINES',
  shooting_star: 'CDLSHOOTINGSTAR',
  short_line: 'CDLSHORTLINE',
  spinning_top: 'CDLSPINNINGTOP',
  stalled_pattern: 'CDLSTALLEDPATTERN',
  stick_sandwich: 'CDLSTICKSANDWICH',
  takuri: 'CDLTAKURI',
  tasuki_gap: 'CDLTASUKIGAP',
  thrusting: 'CDLTHRUSTING',
  tristar: 'CDLTRISTAR',
  unique_three_river: 'CDLUNIQUE3RIVER',
  upside_gap_two_crows: 'CDLUPSIDEGAP2CROWS',
  xside_gap_three_methods: 'CDLXSIDEGAP3METHODS',
} as const;

export type CandlestickPatternName = keyof typeof TALIB_FUNCTIONS;
export type TalibFunction = (typeof TALIB_FUNCTIONS)[CandlestickPatternName];
export const CANDLESTICK_PATTERNS = Object.keys(TALIB_FUNCTIONS) as CandlestickPatternName[];

export type Direction = 'bullish' | 'bearish' | 'neutral';

/** Our judgement of the move that led into a hit. */
export interface TrendContext {
  /** Close-to-close move over the candles before the pattern, in average ranges (−3: fell three ranges); null without enough history. */
  move: number | null;
  prior: 'decline' | 'advance' | 'flat' | 'unknown';
  /** The hit points against the prior move (bullish after a decline, bearish after an advance). */
  reversal: boolean;
}

export interface CandlestickHit {
  pattern: CandlestickPatternName;
  /** The TA-Lib function whose definition the hit follows. */
  talib: TalibFunction;
  /** TA-Lib's output for the bar: ±100; ±80 for an engulfing or harami whose bodies share an end; ±200 for a confirmed hikkake. */
  signal: number;
  /** Open time of the pattern's last candle (epoch ms). */
  time: number;
  /** Index of the pattern's last candle in the series. */
  index: number;
  /** How many candles the pattern spans, ending at `index`. */
  candles: number;
  /** The sign of `signal`; `neutral` for the indecision patterns (dojis, spinning top, high wave), which TA-Lib signs by colour or not at all. */
  direction: Direction;
  trend_context: TrendContext;
  /** Volume of the last candle over the average of the candles before it; null when unknown. */
  volume_ratio: number | null;
  /** 0..1: pattern size against the average range, a reversal in context, volume and confirmation. */
  strength: number;
}

/** TA-Lib's output for the bar at i (0 when the pattern is absent). */
export type BarDetector = (x: CandleContext, i: number) => number;
/** A detector that carries state from bar to bar (hikkake): reports each non-zero output. */
export type SeriesScanner = (x: CandleContext, emit: (index: number, signal: number) => void) => void;

export interface PatternSpec {
  pattern: CandlestickPatternName;
  /** Candles the pattern spans. */
  candles: number;
  /** TA-Lib's lookback: the first bar it can report. */
  lookback: number;
  /** Reported as neutral whatever TA-Lib's sign. */
  neutral?: boolean;
  detect: BarDetector | { scan: SeriesScanner };
}
