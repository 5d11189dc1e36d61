/** Runs every candlestick detector over a series, in candle order. */
import type { Candle } from '../candles.js';
import { buildCandleContext, type CandleContext } from './candleContext.js';
import type { CandlestickHit, CandlestickPatternName, DetectorResult } from './candlestickTypes.js';
import * as multi from './multiCandlePatterns.js';
import * as single from './singleCandlePatterns.js';

interface Detector {
  pattern: CandlestickPatternName;
  candles: number;
  detect(context: CandleContext, index: number): DetectorResult | undefined;
}

const DETECTORS: readonly Detector[] = [
  { pattern: 'doji', candles: 1, detect: single.doji },
  { pattern: 'hammer', candles: 1, detect: single.hammer },
  { pattern: 'inverted_hammer', candles: 1, detect: single.invertedHammer },
  { pattern: 'hanging_man', candles: 1, detect: single.hangingMan },
  { pattern: 'shooting_star', candles: 1, detect: single.shootingStar },
  { pattern: 'marubozu', candles: 1, detect: single.marubozu },
  { pattern: 'spinning_top', candles: 1, detect: single.spinningTop },
  { pattern: 'bullish_engulfing', candles: 2, detect: multi.bullishEngulfing },
  { pattern: 'bearish_engulfing', candles: 2, detect: multi.bearishEngulfing },
  { pattern: 'harami', candles: 2, detect: multi.harami },
  { pattern: 'piercing_line', candles: 2, detect: multi.piercingLine },
  { pattern: 'dark_cloud_cover', candles: 2, detect: multi.darkCloudCover },
  { pattern: 'morning_star', candles: 3, detect: multi.morningStar },
  { pattern: 'evening_star', candles: 3, detect: multi.eveningStar },
  { pattern: 'three_white_soldiers', candles: 3, detect: multi.threeWhiteSoldiers },
  { pattern: 'three_black_crows', candles: 3, detect: multi.threeBlackCrows },
];

export function detectCandlestickPatterns(candles: readonly Candle[], context: CandleContext = buildCandleContext(candles)): CandlestickHit[] {
  const hits: CandlestickHit[] = [];
  for (let index = 0; index < candles.length; index += 1) {
    for (const detector of DETECTORS) {
      if (index + 1 < detector.candles) continue;
      const found = detector.detect(context, index);
      if (found) hits.push({ pattern: detector.pattern, time: candles[index]!.time, index, candles: detector.candles, ...found });
    }
  }
  return hits;
}

export function countByPattern(hits: readonly CandlestickHit[]): Record<CandlestickPatternName, number> {
  const counts = Object.fromEntries(DETECTORS.map((detector) => [detector.pattern, 0])) as Record<CandlestickPatternName, number>;
  for (const hit of hits) counts[hit.pattern] += 1;
  return counts;
}
