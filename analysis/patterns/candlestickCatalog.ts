/**
 * Every TA-Lib candlestick function as a PatternSpec: span, lookback (TA-Lib's: the longest
 * averaging period its rules use plus the candles before the last one) and detector.
 */
import { CANDLE_SETTINGS, type CandleSettingName } from './candleSettings.js';
import type { PatternSpec } from './candlestickTypes.js';
import * as continuation from './continuation.js';
import * as doji from './dojiFamily.js';
import * as twoCandle from './engulfingHarami.js';
import * as gap from './gapPatterns.js';
import { HIKKAKE_LOOKBACK, HIKKAKE_MODIFIED_LOOKBACK, hikkake, hikkakeModified } from './hikkake.js';
import * as penetration from './penetration.js';
import * as single from './singleCandle.js';
import * as march from './soldiersAndCrows.js';
import * as stars from './stars.js';
import * as three from './threeCandleReversals.js';

const lookback = (settings: readonly CandleSettingName[], before: number): number =>
  Math.max(0, ...settings.map((name) => CANDLE_SETTINGS[name].period)) + before;

export const PATTERN_SPECS: readonly PatternSpec[] = [
  { pattern: 'two_crows', candles: 3, lookback: lookback(['bodyLong'], 2), detect: march.twoCrows },
  {
    pattern: 'three_black_crows',
    candles: 4,
    lookback: lookback(['shadowVeryShort'], 3),
    detect: march.threeBlackCrows,
  },
  { pattern: 'three_inside', candles: 3, lookback: lookback(['bodyShort', 'bodyLong'], 2), detect: three.threeInside },
  { pattern: 'three_line_strike', candles: 4, lookback: lookback(['near'], 3), detect: continuation.threeLineStrike },
  { pattern: 'three_outside', candles: 3, lookback: 3, detect: three.threeOutside },
  {
    pattern: 'three_stars_in_south',
    candles: 3,
    lookback: lookback(['shadowVeryShort', 'shadowLong', 'bodyLong', 'bodyShort'], 2),
    detect: three.threeStarsInSouth,
  },
  {
    pattern: 'three_white_soldiers',
    candles: 3,
    lookback: lookback(['shadowVeryShort', 'bodyShort', 'far', 'near'], 2),
    detect: march.threeWhiteSoldiers,
  },
  {
    pattern: 'abandoned_baby',
    candles: 3,
    lookback: lookback(['bodyDoji', 'bodyLong', 'bodyShort'], 2),
    detect: stars.abandonedBaby,
  },
  {
    pattern: 'advance_block',
    candles: 3,
    lookback: lookback(['shadowLong', 'shadowShort', 'far', 'near', 'bodyLong'], 2),
    detect: march.advanceBlock,
  },
  { pattern: 'belt_hold', candles: 1, lookback: lookback(['bodyLong', 'shadowVeryShort'], 0), detect: single.beltHold },
  { pattern: 'breakaway', candles: 5, lookback: lookback(['bodyLong'], 4), detect: continuation.breakaway },
  {
    pattern: 'closing_marubozu',
    candles: 1,
    lookback: lookback(['bodyLong', 'shadowVeryShort'], 0),
    detect: single.closingMarubozu,
  },
  {
    pattern: 'concealing_baby_swallow',
    candles: 4,
    lookback: lookback(['shadowVeryShort'], 3),
    detect: continuation.concealingBabySwallow,
  },
  {
    pattern: 'counterattack',
    candles: 2,
    lookback: lookback(['equal', 'bodyLong'], 1),
    detect: twoCandle.counterattack,
  },
  { pattern: 'dark_cloud_cover', candles: 2, lookback: lookback(['bodyLong'], 1), detect: penetration.darkCloudCover },
  { pattern: 'doji', candles: 1, lookback: lookback(['bodyDoji'], 0), neutral: true, detect: doji.doji },
  { pattern: 'doji_star', candles: 2, lookback: lookback(['bodyDoji', 'bodyLong'], 1), detect: doji.dojiStar },
  {
    pattern: 'dragonfly_doji',
    candles: 1,
    lookback: lookback(['bodyDoji', 'shadowVeryShort'], 0),
    neutral: true,
    detect: doji.dragonflyDoji,
  },
  { pattern: 'engulfing', candles: 2, lookback: 2, detect: twoCandle.engulfing },
  {
    pattern: 'evening_doji_star',
    candles: 3,
    lookback: lookback(['bodyDoji', 'bodyLong', 'bodyShort'], 2),
    detect: stars.eveningDojiStar,
  },
  { pattern: 'evening_star', candles: 3, lookback: lookback(['bodyShort', 'bodyLong'], 2), detect: stars.eveningStar },
  {
    pattern: 'gap_side_side_white',
    candles: 3,
    lookback: lookback(['near', 'equal'], 2),
    detect: gap.gapSideSideWhite,
  },
  {
    pattern: 'gravestone_doji',
    candles: 1,
    lookback: lookback(['bodyDoji', 'shadowVeryShort'], 0),
    neutral: true,
    detect: doji.gravestoneDoji,
  },
  {
    pattern: 'hammer',
    candles: 1,
    lookback: lookback(['bodyShort', 'shadowLong', 'shadowVeryShort', 'near'], 1),
    detect: single.hammer,
  },
  {
    pattern: 'hanging_man',
    candles: 1,
    lookback: lookback(['bodyShort', 'shadowLong', 'shadowVeryShort', 'near'], 1),
    detect: single.hangingMan,
  },
  { pattern: 'harami', candles: 2, lookback: lookback(['bodyShort', 'bodyLong'], 1), detect: twoCandle.harami },
  {
    pattern: 'harami_cross',
    candles: 2,
    lookback: lookback(['bodyDoji', 'bodyLong'], 1),
    detect: twoCandle.haramiCross,
  },
  {
    pattern: 'high_wave',
    candles: 1,
    lookback: lookback(['bodyShort', 'shadowVeryLong'], 0),
    neutral: true,
    detect: single.highWave,
  },
  { pattern: 'hikkake', candles: 3, lookback: HIKKAKE_LOOKBACK, detect: { scan: hikkake } },
  { pattern: 'hikkake_modified', candles: 4, lookback: HIKKAKE_MODIFIED_LOOKBACK, detect: { scan: hikkakeModified } },
  {
    pattern: 'homing_pigeon',
    candles: 2,
    lookback: lookback(['bodyShort', 'bodyLong'], 1),
    detect: twoCandle.homingPigeon,
  },
  {
    pattern: 'identical_three_crows',
    candles: 3,
    lookback: lookback(['shadowVeryShort', 'equal'], 2),
    detect: march.identicalThreeCrows,
  },
  { pattern: 'in_neck', candles: 2, lookback: lookback(['equal', 'bodyLong'], 1), detect: penetration.inNeck },
  {
    pattern: 'inverted_hammer',
    candles: 1,
    lookback: lookback(['bodyShort', 'shadowLong', 'shadowVeryShort'], 1),
    detect: single.invertedHammer,
  },
  { pattern: 'kicking', candles: 2, lookback: lookback(['shadowVeryShort', 'bodyLong'], 1), detect: twoCandle.kicking },
  {
    pattern: 'kicking_by_length',
    candles: 2,
    lookback: lookback(['shadowVeryShort', 'bodyLong'], 1),
    detect: twoCandle.kickingByLength,
  },
  {
    pattern: 'ladder_bottom',
    candles: 5,
    lookback: lookback(['shadowVeryShort'], 4),
    detect: continuation.ladderBottom,
  },
  {
    pattern: 'long_legged_doji',
    candles: 1,
    lookback: lookback(['bodyDoji', 'shadowLong'], 0),
    neutral: true,
    detect: doji.longLeggedDoji,
  },
  { pattern: 'long_line', candles: 1, lookback: lookback(['bodyLong', 'shadowShort'], 0), detect: single.longLine },
  { pattern: 'marubozu', candles: 1, lookback: lookback(['bodyLong', 'shadowVeryShort'], 0), detect: single.marubozu },
  { pattern: 'matching_low', candles: 2, lookback: lookback(['equal'], 1), detect: twoCandle.matchingLow },
  { pattern: 'mat_hold', candles: 5, lookback: lookback(['bodyShort', 'bodyLong'], 4), detect: continuation.matHold },
  {
    pattern: 'morning_doji_star',
    candles: 3,
    lookback: lookback(['bodyDoji', 'bodyLong', 'bodyShort'], 2),
    detect: stars.morningDojiStar,
  },
  { pattern: 'morning_star', candles: 3, lookback: lookback(['bodyShort', 'bodyLong'], 2), detect: stars.morningStar },
  { pattern: 'on_neck', candles: 2, lookback: lookback(['equal', 'bodyLong'], 1), detect: penetration.onNeck },
  { pattern: 'piercing_line', candles: 2, lookback: lookback(['bodyLong'], 1), detect: penetration.piercing },
  {
    pattern: 'rickshaw_man',
    candles: 1,
    lookback: lookback(['bodyDoji', 'shadowLong', 'near'], 0),
    neutral: true,
    detect: doji.rickshawMan,
  },
  {
    pattern: 'rising_falling_three_methods',
    candles: 5,
    lookback: lookback(['bodyShort', 'bodyLong'], 4),
    detect: continuation.riseFallThreeMethods,
  },
  {
    pattern: 'separating_lines',
    candles: 2,
    lookback: lookback(['shadowVeryShort', 'bodyLong', 'equal'], 1),
    detect: twoCandle.separatingLines,
  },
  {
    pattern: 'shooting_star',
    candles: 1,
    lookback: lookback(['bodyShort', 'shadowLong', 'shadowVeryShort'], 1),
    detect: single.shootingStar,
  },
  { pattern: 'short_line', candles: 1, lookback: lookback(['bodyShort', 'shadowShort'], 0), detect: single.shortLine },
  {
    pattern: 'spinning_top',
    candles: 1,
    lookback: lookback(['bodyShort'], 0),
    neutral: true,
    detect: single.spinningTop,
  },
  {
    pattern: 'stalled_pattern',
    candles: 3,
    lookback: lookback(['bodyLong', 'bodyShort', 'shadowVeryShort', 'near'], 2),
    detect: march.stalledPattern,
  },
  { pattern: 'stick_sandwich', candles: 3, lookback: lookback(['equal'], 2), detect: three.stickSandwich },
  {
    pattern: 'takuri',
    candles: 1,
    lookback: lookback(['bodyDoji', 'shadowVeryShort', 'shadowVeryLong'], 0),
    detect: doji.takuri,
  },
  { pattern: 'tasuki_gap', candles: 3, lookback: lookback(['near'], 2), detect: gap.tasukiGap },
  { pattern: 'thrusting', candles: 2, lookback: lookback(['equal', 'bodyLong'], 1), detect: penetration.thrusting },
  { pattern: 'tristar', candles: 3, lookback: lookback(['bodyDoji'], 2), detect: doji.tristar },
  {
    pattern: 'unique_three_river',
    candles: 3,
    lookback: lookback(['bodyShort', 'bodyLong'], 2),
    detect: three.uniqueThreeRiver,
  },
  {
    pattern: 'upside_gap_two_crows',
    candles: 3,
    lookback: lookback(['bodyShort', 'bodyLong'], 2),
    detect: march.upsideGapTwoCrows,
  },
  { pattern: 'xside_gap_three_methods', candles: 3, lookback: 2, detect: gap.xSideGapThreeMethods },
];
