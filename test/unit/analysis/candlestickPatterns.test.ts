import { detectCandlestickPatterns } from '../../../analysis/patterns/detectCandlestickPatterns.js';
import type { CandlestickPatternName } from '../../../analysis/patterns/candlestickTypes.js';
import { afterAdvance, afterDecline, afterFlat, candlesOf, type Ohlc } from './candleBuilders.js';

/** Hits of `pattern` ending on the last candle of `prefix + pattern candles`. */
function hitsAtEnd(prefix: Ohlc[], candles: Ohlc[], pattern: CandlestickPatternName) {
  const series = candlesOf([...prefix, ...candles]);
  return detectCandlestickPatterns(series).filter((hit) => hit.pattern === pattern && hit.index === series.length - 1);
}

/** `span`: candles in the pattern when it reaches back into the prefix (an engulfing of the decline's last candle). */
function expectHit(prefix: Ohlc[], candles: Ohlc[], pattern: CandlestickPatternName, direction: 'bullish' | 'bearish' | 'neutral', span = candles.length) {
  const hits = hitsAtEnd(prefix, candles, pattern);
  expect(hits).toHaveLength(1);
  const hit = hits[0]!;
  expect(hit.direction).toBe(direction);
  expect(hit.candles).toBe(span);
  expect(hit.strength).toBeGreaterThan(0);
  expect(hit.strength).toBeLessThanOrEqual(1);
  expect(hit.time).toBe(candlesOf([...prefix, ...candles]).at(-1)!.time);
}

const expectNone = (prefix: Ohlc[], candles: Ohlc[], pattern: CandlestickPatternName) => expect(hitsAtEnd(prefix, candles, pattern)).toHaveLength(0);

describe('one-candle patterns', () => {
  test('doji: body at most a tenth of a real range', () => {
    expectHit(afterFlat(), [[100, 100.6, 99.4, 100.02]], 'doji', 'neutral');
    expectNone(afterFlat(), [[100, 100.6, 99.4, 100.2]], 'doji'); // body 0.2 of 1.2
    expectNone(afterFlat(), [[100, 100.2, 99.8, 100.01]], 'doji'); // range 0.4 of an average 1.0
  });

  const hammerShape: Ohlc = [95.2, 95.5, 94.3, 95.45]; // range 1.2, body 0.25, lower 0.9, upper 0.05
  test('hammer: long lower shadow after a decline', () => {
    expectHit(afterDecline(), [hammerShape], 'hammer', 'bullish');
    expectNone(afterFlat(), [[100, 100.3, 99.1, 100.25]], 'hammer'); // same shape, no decline
    expectNone(afterDecline(), [[95.2, 95.75, 94.3, 95.45]], 'hammer'); // upper shadow 0.3 of 1.45
    expectNone(afterDecline(), [[95.2, 95.32, 94.84, 95.3]], 'hammer'); // same proportions, range 0.48
    expectNone(afterDecline(), [hammerShape], 'hanging_man');
  });

  test('hanging man: the hammer shape after an advance', () => {
    expectHit(afterAdvance(), [[104.8, 105.1, 103.9, 105.05]], 'hanging_man', 'bearish');
    expectNone(afterAdvance(), [[104.8, 105.1, 103.9, 105.05]], 'hammer');
    expectNone(afterAdvance(), [[104.8, 105.1, 104.3, 105.05]], 'hanging_man'); // lower shadow 0.5 of 0.8: too short
  });

  test('inverted hammer: long upper shadow after a decline', () => {
    expectHit(afterDecline(), [[95.2, 96.35, 95.15, 95.45]], 'inverted_hammer', 'bullish');
    expectNone(afterFlat(), [[100, 101.15, 99.95, 100.25]], 'inverted_hammer');
    expectNone(afterDecline(), [[95.2, 96.35, 94.9, 95.45]], 'inverted_hammer'); // lower shadow 0.3 of 1.45
  });

  test('shooting star: long upper shadow after an advance', () => {
    expectHit(afterAdvance(), [[104.8, 105.7, 104.5, 104.55]], 'shooting_star', 'bearish');
    expectNone(afterDecline(), [[95.2, 96.1, 94.9, 94.95]], 'shooting_star');
    expectNone(afterAdvance(), [[104.8, 105.7, 104.5, 104.2]], 'shooting_star'); // body 0.6 of 1.2
  });

  test('marubozu: a long candle that is nearly all body, on average volume', () => {
    expectHit(afterFlat(), [[100, 101.62, 99.98, 101.6]], 'marubozu', 'bullish');
    expectHit(afterFlat(), [[100, 100.02, 98.38, 98.4]], 'marubozu', 'bearish');
    expectNone(afterFlat(), [[100, 101.62, 99.98, 101.6, 500]], 'marubozu'); // half the average volume
    expectNone(afterFlat(), [[100, 101.8, 99.98, 101.6]], 'marubozu'); // upper shadow 0.2 of 1.82
    expectNone(afterFlat(), [[100, 101.02, 99.98, 101]], 'marubozu'); // range 1.04: not long
  });

  test('spinning top: small body between balanced shadows', () => {
    expectHit(afterFlat(), [[100, 100.7, 99.5, 100.2]], 'spinning_top', 'neutral');
    expectNone(afterFlat(), [[100, 100.3, 99.1, 100.2]], 'spinning_top'); // upper shadow 0.1 < body
    expectNone(afterFlat(), [[100, 100.7, 99.5, 100.45]], 'spinning_top'); // body 0.45 of 1.2: not small
  });
});

describe('two-candle patterns', () => {
  test('bullish engulfing after a decline', () => {
    expectHit(afterDecline(), [[95.1, 96.1, 95.0, 96.0]], 'bullish_engulfing', 'bullish', 2);
    expectNone(afterDecline(), [[95.1, 96.1, 95.0, 95.7]], 'bullish_engulfing'); // closes below the previous open 95.8
    expectNone(afterFlat(), [[100, 100.2, 99.2, 99.4], [99.3, 100.4, 99.2, 100.3]], 'bullish_engulfing'); // no decline before
  });

  test('bearish engulfing after an advance', () => {
    expectHit(afterAdvance(), [[104.9, 105.0, 103.9, 104.0]], 'bearish_engulfing', 'bearish', 2);
    expectNone(afterAdvance(), [[104.9, 105.0, 104.2, 104.3]], 'bearish_engulfing'); // closes above the previous open 104.2
    expectNone(afterDecline(), [[95.3, 95.4, 94.3, 94.4]], 'bearish_engulfing');
  });

  test('harami: a small body inside a long one, against the trend', () => {
    const longBearish: Ohlc = [95.2, 95.3, 93.9, 94.0];
    expectHit(afterDecline(), [longBearish, [94.3, 94.8, 94.2, 94.6]], 'harami', 'bullish');
    expectHit(afterAdvance(), [[104.8, 106.1, 104.7, 106.0], [105.7, 105.8, 105.2, 105.4]], 'harami', 'bearish');
    expectNone(afterDecline(), [longBearish, [94.1, 95.0, 94.0, 94.9]], 'harami'); // body 0.8 > half of 1.2
    expectNone(afterDecline(), [longBearish, [93.8, 94.2, 93.7, 94.1]], 'harami'); // body leaves the first body
    expectNone(afterFlat(), [[100.6, 100.7, 99.3, 99.4], [99.7, 100.2, 99.6, 100.0]], 'harami'); // no trend before
  });

  test('piercing line: opens at or below a long bearish close, closes past its middle', () => {
    const longBearish: Ohlc = [95.2, 95.3, 93.9, 94.0];
    expectHit(afterDecline(), [longBearish, [93.9, 94.9, 93.8, 94.8]], 'piercing_line', 'bullish');
    expectNone(afterDecline(), [longBearish, [93.9, 94.6, 93.8, 94.5]], 'piercing_line'); // closes below the middle 94.6
    expectNone(afterDecline(), [longBearish, [93.9, 95.4, 93.8, 95.3]], 'piercing_line'); // covers it: an engulfing
  });

  test('dark cloud cover: opens at or above a long bullish close, closes below its middle', () => {
    const longBullish: Ohlc = [104.8, 106.1, 104.7, 106.0];
    expectHit(afterAdvance(), [longBullish, [106.1, 106.2, 105.1, 105.2]], 'dark_cloud_cover', 'bearish');
    expectNone(afterAdvance(), [longBullish, [106.1, 106.2, 105.4, 105.5]], 'dark_cloud_cover'); // above the middle 105.4
    expectNone(afterDecline(), [[95.2, 96.5, 95.1, 96.4], [96.5, 96.6, 95.5, 95.6]], 'dark_cloud_cover'); // after a decline
  });
});

describe('three-candle patterns', () => {
  test('morning star after a decline', () => {
    const first: Ohlc = [95.2, 95.3, 93.9, 94.0];
    const starCandle: Ohlc = [93.9, 94.0, 93.6, 93.8];
    expectHit(afterDecline(), [first, starCandle, [93.9, 94.9, 93.85, 94.8]], 'morning_star', 'bullish');
    expectNone(afterDecline(), [first, starCandle, [93.9, 94.5, 93.85, 94.4]], 'morning_star'); // closes below the first body's middle
    expectNone(afterDecline(), [first, [94.0, 94.1, 93.3, 93.4], [93.5, 94.9, 93.4, 94.8]], 'morning_star'); // star body 0.6: not small
  });

  test('evening star after an advance', () => {
    const first: Ohlc = [104.8, 106.1, 104.7, 106.0];
    expectHit(afterAdvance(), [first, [106.1, 106.4, 106.0, 106.2], [106.1, 106.15, 105.1, 105.2]], 'evening_star', 'bearish');
    expectNone(afterAdvance(), [first, [106.1, 106.4, 106.0, 106.2], [106.1, 106.15, 105.5, 105.6]], 'evening_star');
    expectNone(afterFlat(), [[100, 101.3, 99.9, 101.2], [101.3, 101.6, 101.2, 101.4], [101.3, 101.35, 100.3, 100.4]], 'evening_star'); // no advance
  });

  test('three white soldiers: three long bullish bodies, each opening inside the last', () => {
    const soldiers: Ohlc[] = [
      [95.2, 96.1, 95.1, 96.0],
      [95.8, 96.8, 95.7, 96.7],
      [96.6, 97.6, 96.5, 97.5],
    ];
    expectHit(afterDecline(), soldiers, 'three_white_soldiers', 'bullish');
    expectHit(afterFlat(), [[100, 100.9, 99.9, 100.8], [100.6, 101.5, 100.5, 101.4], [101.2, 102.1, 101.1, 102.0]], 'three_white_soldiers', 'bullish');
    expectNone(afterDecline(), [soldiers[0]!, soldiers[1]!, [96.6, 98.2, 96.5, 97.5]], 'three_white_soldiers'); // long upper shadow on the third
    expectNone(afterAdvance(), [[104.8, 105.7, 104.7, 105.6], [105.4, 106.3, 105.3, 106.2], [106.0, 106.9, 105.9, 106.8]], 'three_white_soldiers'); // already rising
    expectNone(afterDecline(), [soldiers[0]!, [96.3, 96.8, 96.2, 96.7], soldiers[2]!], 'three_white_soldiers'); // second opens above the first body
  });

  test('three black crows: three long bearish bodies after an advance', () => {
    const crows: Ohlc[] = [
      [104.8, 104.9, 103.9, 104.0],
      [104.2, 104.3, 103.2, 103.3],
      [103.5, 103.6, 102.5, 102.6],
    ];
    expectHit(afterAdvance(), crows, 'three_black_crows', 'bearish');
    expectNone(afterDecline(), [[95.2, 95.3, 94.3, 94.4], [94.6, 94.7, 93.6, 93.7], [93.9, 94.0, 92.9, 93.0]], 'three_black_crows'); // already falling
    expectNone(afterAdvance(), [crows[0]!, crows[1]!, [103.5, 103.6, 103.0, 103.1]], 'three_black_crows'); // third body 0.4: too short
  });
});

test('quiet markets do not fire patterns on every other bar', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const rows: Ohlc[] = [];
  let close = 100;
  for (let index = 0; index < 3000; index += 1) {
    const open = close;
    close = open + (random() - 0.5);
    rows.push([open, Math.max(open, close) + random() * 0.3, Math.min(open, close) - random() * 0.3, close, 500 + random() * 1000]);
  }
  const hits = detectCandlestickPatterns(candlesOf(rows));
  expect(hits.length / rows.length).toBeLessThan(0.35);
  expect(hits.length).toBeGreaterThan(0);
});
