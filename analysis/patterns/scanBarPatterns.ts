/**
 * The per-bar detectors of PATTERN_SPECS, called directly in loops of a few patterns each:
 * one shared loop calling 59 different functions through a variable would be a megamorphic
 * call, about four times slower than these direct (and inlinable) calls. Each line writes
 * pattern k's signal into signals[k], from its lookback on; a unit test checks
 * that every line matches its spec. A line may first test a candle's shape bits (see
 * candleContext): only a test its detector makes first, so a skipped candle is one the
 * detector would have returned 0 for, without the call.
 */
import { type CandleContext, DOJI_BODY, LONG_BODY, SHORT_BODY } from './candleContext.js';
import * as continuation from './continuation.js';
import * as doji from './dojiFamily.js';
import * as twoCandle from './engulfingHarami.js';
import * as gap from './gapPatterns.js';
import * as penetration from './penetration.js';
import * as single from './singleCandle.js';
import * as march from './soldiersAndCrows.js';
import * as stars from './stars.js';
import * as three from './threeCandleReversals.js';

type Signals = readonly Int16Array[];

function scan0(x: CandleContext, from: Int32Array, signals: Signals): void {
  const s = x.shape;
  for (let i = 0; i < x.close.length; i += 1) {
    if (i >= from[0]!) signals[0]![i] = march.twoCrows(x, i); // two_crows
    if (i >= from[1]!) signals[1]![i] = march.threeBlackCrows(x, i); // three_black_crows
    if (i >= from[2]! && (s[i - 2]! & LONG_BODY) !== 0) signals[2]![i] = three.threeInside(x, i); // three_inside
    if (i >= from[3]!) signals[3]![i] = continuation.threeLineStrike(x, i); // three_line_strike
    if (i >= from[4]!) signals[4]![i] = three.threeOutside(x, i); // three_outside
    if (i >= from[5]! && (s[i - 2]! & LONG_BODY) !== 0) signals[5]![i] = three.threeStarsInSouth(x, i); // three_stars_in_south
    if (i >= from[6]!) signals[6]![i] = march.threeWhiteSoldiers(x, i); // three_white_soldiers
    if (i >= from[7]! && (s[i - 2]! & LONG_BODY) !== 0 && (s[i - 1]! & DOJI_BODY) !== 0)
      signals[7]![i] = stars.abandonedBaby(x, i); // abandoned_baby
  }
}

function scan1(x: CandleContext, from: Int32Array, signals: Signals): void {
  const s = x.shape;
  for (let i = 0; i < x.close.length; i += 1) {
    if (i >= from[8]!) signals[8]![i] = march.advanceBlock(x, i); // advance_block
    if (i >= from[9]! && (s[i]! & LONG_BODY) !== 0) signals[9]![i] = single.beltHold(x, i); // belt_hold
    if (i >= from[10]!) signals[10]![i] = continuation.breakaway(x, i); // breakaway
    if (i >= from[11]! && (s[i]! & LONG_BODY) !== 0) signals[11]![i] = single.closingMarubozu(x, i); // closing_marubozu
    if (i >= from[12]!) signals[12]![i] = continuation.concealingBabySwallow(x, i); // concealing_baby_swallow
    if (i >= from[13]! && (s[i - 1]! & LONG_BODY) !== 0 && (s[i]! & LONG_BODY) !== 0)
      signals[13]![i] = twoCandle.counterattack(x, i); // counterattack
    if (i >= from[14]! && (s[i - 1]! & LONG_BODY) !== 0) signals[14]![i] = penetration.darkCloudCover(x, i); // dark_cloud_cover
    if (i >= from[15]! && (s[i]! & DOJI_BODY) !== 0) signals[15]![i] = doji.doji(x, i); // doji
  }
}

function scan2(x: CandleContext, from: Int32Array, signals: Signals): void {
  const s = x.shape;
  for (let i = 0; i < x.close.length; i += 1) {
    if (i >= from[16]! && (s[i - 1]! & LONG_BODY) !== 0 && (s[i]! & DOJI_BODY) !== 0)
      signals[16]![i] = doji.dojiStar(x, i); // doji_star
    if (i >= from[17]! && (s[i]! & DOJI_BODY) !== 0) signals[17]![i] = doji.dragonflyDoji(x, i); // dragonfly_doji
    if (i >= from[18]!) signals[18]![i] = twoCandle.engulfing(x, i); // engulfing
    if (i >= from[19]! && (s[i - 2]! & LONG_BODY) !== 0 && (s[i - 1]! & DOJI_BODY) !== 0)
      signals[19]![i] = stars.eveningDojiStar(x, i); // evening_doji_star
    if (i >= from[20]! && (s[i - 2]! & LONG_BODY) !== 0) signals[20]![i] = stars.eveningStar(x, i); // evening_star
    if (i >= from[21]!) signals[21]![i] = gap.gapSideSideWhite(x, i); // gap_side_side_white
    if (i >= from[22]! && (s[i]! & DOJI_BODY) !== 0) signals[22]![i] = doji.gravestoneDoji(x, i); // gravestone_doji
    if (i >= from[23]! && (s[i]! & SHORT_BODY) !== 0) signals[23]![i] = single.hammer(x, i); // hammer
  }
}

function scan3(x: CandleContext, from: Int32Array, signals: Signals): void {
  const s = x.shape;
  for (let i = 0; i < x.close.length; i += 1) {
    if (i >= from[24]! && (s[i]! & SHORT_BODY) !== 0) signals[24]![i] = single.hangingMan(x, i); // hanging_man
    if (i >= from[25]! && (s[i - 1]! & LONG_BODY) !== 0) signals[25]![i] = twoCandle.harami(x, i); // harami
    if (i >= from[26]! && (s[i - 1]! & LONG_BODY) !== 0 && (s[i]! & DOJI_BODY) !== 0)
      signals[26]![i] = twoCandle.haramiCross(x, i); // harami_cross
    if (i >= from[27]! && (s[i]! & SHORT_BODY) !== 0) signals[27]![i] = single.highWave(x, i); // high_wave
    if (i >= from[30]! && (s[i - 1]! & LONG_BODY) !== 0) signals[30]![i] = twoCandle.homingPigeon(x, i); // homing_pigeon
    if (i >= from[31]!) signals[31]![i] = march.identicalThreeCrows(x, i); // identical_three_crows
    if (i >= from[32]! && (s[i - 1]! & LONG_BODY) !== 0) signals[32]![i] = penetration.inNeck(x, i); // in_neck
    if (i >= from[33]! && (s[i]! & SHORT_BODY) !== 0) signals[33]![i] = single.invertedHammer(x, i); // inverted_hammer
  }
}

function scan4(x: CandleContext, from: Int32Array, signals: Signals): void {
  const s = x.shape;
  for (let i = 0; i < x.close.length; i += 1) {
    if (i >= from[34]! && (s[i - 1]! & LONG_BODY) !== 0 && (s[i]! & LONG_BODY) !== 0)
      signals[34]![i] = twoCandle.kicking(x, i); // kicking
    if (i >= from[35]! && (s[i - 1]! & LONG_BODY) !== 0 && (s[i]! & LONG_BODY) !== 0)
      signals[35]![i] = twoCandle.kickingByLength(x, i); // kicking_by_length
    if (i >= from[36]!) signals[36]![i] = continuation.ladderBottom(x, i); // ladder_bottom
    if (i >= from[37]! && (s[i]! & DOJI_BODY) !== 0) signals[37]![i] = doji.longLeggedDoji(x, i); // long_legged_doji
    if (i >= from[38]! && (s[i]! & LONG_BODY) !== 0) signals[38]![i] = single.longLine(x, i); // long_line
    if (i >= from[39]! && (s[i]! & LONG_BODY) !== 0) signals[39]![i] = single.marubozu(x, i); // marubozu
    if (i >= from[40]!) signals[40]![i] = twoCandle.matchingLow(x, i); // matching_low
    if (i >= from[41]!) signals[41]![i] = continuation.matHold(x, i); // mat_hold
  }
}

function scan5(x: CandleContext, from: Int32Array, signals: Signals): void {
  const s = x.shape;
  for (let i = 0; i < x.close.length; i += 1) {
    if (i >= from[42]! && (s[i - 2]! & LONG_BODY) !== 0 && (s[i - 1]! & DOJI_BODY) !== 0)
      signals[42]![i] = stars.morningDojiStar(x, i); // morning_doji_star
    if (i >= from[43]! && (s[i - 2]! & LONG_BODY) !== 0) signals[43]![i] = stars.morningStar(x, i); // morning_star
    if (i >= from[44]! && (s[i - 1]! & LONG_BODY) !== 0) signals[44]![i] = penetration.onNeck(x, i); // on_neck
    if (i >= from[45]! && (s[i - 1]! & LONG_BODY) !== 0 && (s[i]! & LONG_BODY) !== 0)
      signals[45]![i] = penetration.piercing(x, i); // piercing_line
    if (i >= from[46]! && (s[i]! & DOJI_BODY) !== 0) signals[46]![i] = doji.rickshawMan(x, i); // rickshaw_man
    if (i >= from[47]!) signals[47]![i] = continuation.riseFallThreeMethods(x, i); // rising_falling_three_methods
    if (i >= from[48]! && (s[i]! & LONG_BODY) !== 0) signals[48]![i] = twoCandle.separatingLines(x, i); // separating_lines
    if (i >= from[49]! && (s[i]! & SHORT_BODY) !== 0) signals[49]![i] = single.shootingStar(x, i); // shooting_star
  }
}

function scan6(x: CandleContext, from: Int32Array, signals: Signals): void {
  const s = x.shape;
  for (let i = 0; i < x.close.length; i += 1) {
    if (i >= from[50]! && (s[i]! & SHORT_BODY) !== 0) signals[50]![i] = single.shortLine(x, i); // short_line
    if (i >= from[51]! && (s[i]! & SHORT_BODY) !== 0) signals[51]![i] = single.spinningTop(x, i); // spinning_top
    if (i >= from[52]!) signals[52]![i] = march.stalledPattern(x, i); // stalled_pattern
    if (i >= from[53]!) signals[53]![i] = three.stickSandwich(x, i); // stick_sandwich
    if (i >= from[54]! && (s[i]! & DOJI_BODY) !== 0) signals[54]![i] = doji.takuri(x, i); // takuri
    if (i >= from[55]!) signals[55]![i] = gap.tasukiGap(x, i); // tasuki_gap
    if (i >= from[56]! && (s[i - 1]! & LONG_BODY) !== 0) signals[56]![i] = penetration.thrusting(x, i); // thrusting
    if (i >= from[57]! && (s[i - 2]! & DOJI_BODY) !== 0) signals[57]![i] = doji.tristar(x, i); // tristar
  }
}

function scan7(x: CandleContext, from: Int32Array, signals: Signals): void {
  const s = x.shape;
  for (let i = 0; i < x.close.length; i += 1) {
    if (i >= from[58]! && (s[i - 2]! & LONG_BODY) !== 0) signals[58]![i] = three.uniqueThreeRiver(x, i); // unique_three_river
    if (i >= from[59]!) signals[59]![i] = march.upsideGapTwoCrows(x, i); // upside_gap_two_crows
    if (i >= from[60]!) signals[60]![i] = gap.xSideGapThreeMethods(x, i); // xside_gap_three_methods
  }
}

/** Fills signals[k] for every pattern k with a per-bar detector; from[k] is its lookback. */
export function scanBarPatterns(x: CandleContext, from: Int32Array, signals: Signals): void {
  scan0(x, from, signals);
  scan1(x, from, signals);
  scan2(x, from, signals);
  scan3(x, from, signals);
  scan4(x, from, signals);
  scan5(x, from, signals);
  scan6(x, from, signals);
  scan7(x, from, signals);
}
