/**
 * Known answers for TA-Lib's candlestick definitions on hand-built candles. After `flat(n)`
 * every yardstick is known: real bodies 0.2 and ranges 1.0, so BodyLong/BodyShort = 0.2,
 * BodyDoji = ShadowVeryShort = 0.1, Near = 0.2, Equal = 0.05; the last flat candle (odd
 * index) is black, open 100.1, close 99.9, high 100.5, low 99.5.
 */
import type { CandlestickHit, CandlestickPatternName } from '../../../analysis/patterns/candlestickTypes.js';
import { CANDLESTICK_PATTERNS } from '../../../analysis/patterns/candlestickTypes.js';
import { PATTERN_SPECS } from '../../../analysis/patterns/candlestickCatalog.js';
import { detectCandlestickPatterns } from '../../../analysis/patterns/detectCandlestickPatterns.js';
import { afterDecline, candlesOf, flat, type Ohlc } from './candleBuilders.js';

function hitAtEnd(rows: Ohlc[], pattern: CandlestickPatternName): CandlestickHit | undefined {
  return detectCandlestickPatterns(candlesOf(rows)).find(
    (hit) => hit.pattern === pattern && hit.index === rows.length - 1,
  );
}
const signalAtEnd = (rows: Ohlc[], pattern: CandlestickPatternName): number => hitAtEnd(rows, pattern)?.signal ?? 0;

test('all 61 TA-Lib functions are covered, each once', () => {
  expect(CANDLESTICK_PATTERNS).toHaveLength(61);
  expect(new Set(PATTERN_SPECS.map((spec) => spec.pattern))).toEqual(new Set(CANDLESTICK_PATTERNS));
});

describe('single candles', () => {
  test('doji: a body no larger than a tenth of the average range', () => {
    expect(signalAtEnd([...flat(12), [100, 100.5, 99.5, 100.05]], 'doji')).toBe(100);
    expect(hitAtEnd([...flat(12), [100, 100.5, 99.5, 100.05]], 'doji')?.direction).toBe('neutral');
    expect(signalAtEnd([...flat(12), [100, 100.5, 99.5, 100.15]], 'doji')).toBe(0);
  });

  test('no hit before TA-Lib lookback: the doji needs ten candles before it', () => {
    const dojis: Ohlc[] = Array.from({ length: 11 }, () => [100, 100.5, 99.5, 100]);
    const hits = detectCandlestickPatterns(candlesOf(dojis)).filter((hit) => hit.pattern === 'doji');
    expect(hits.map((hit) => hit.index)).toEqual([10]);
  });

  test('hammer: short body, long lower shadow, body at or near the previous low', () => {
    expect(signalAtEnd([...flat(12), [99.6, 99.72, 98.8, 99.7]], 'hammer')).toBe(100);
    expect(signalAtEnd([...flat(12), [100.0, 100.12, 99.2, 100.1]], 'hammer')).toBe(0); // body bottom 100.0 > 99.5 + Near 0.2
    expect(signalAtEnd([...flat(12), [99.6, 99.82, 98.8, 99.7]], 'hammer')).toBe(0); // upper shadow 0.12 ≥ 0.1
  });

  test('shooting star: short body gapping above the previous body, long upper shadow', () => {
    expect(signalAtEnd([...flat(12), [100.2, 101.2, 100.18, 100.3]], 'shooting_star')).toBe(-100);
    expect(signalAtEnd([...flat(12), [100.05, 101.2, 100.03, 100.15]], 'shooting_star')).toBe(0); // body overlaps the previous one
  });

  test('marubozu: a long body with next to no shadows, signed by colour', () => {
    expect(signalAtEnd([...flat(12), [100, 100.52, 99.98, 100.5]], 'marubozu')).toBe(100);
    expect(signalAtEnd([...flat(12), [100.5, 100.52, 99.98, 100]], 'marubozu')).toBe(-100);
    expect(signalAtEnd([...flat(12), [100, 100.65, 99.98, 100.5]], 'marubozu')).toBe(0); // upper shadow 0.15
  });
});

describe('two candles', () => {
  test('engulfing: ±100, or ±80 when the bodies share an end', () => {
    expect(signalAtEnd([...flat(12), [99.8, 100.4, 99.7, 100.3]], 'engulfing')).toBe(100);
    expect(signalAtEnd([...flat(12), [99.9, 100.4, 99.7, 100.3]], 'engulfing')).toBe(80);
    expect(signalAtEnd([...flat(12), [99.95, 100.4, 99.7, 100.05]], 'engulfing')).toBe(0); // inside, not covering
  });

  test('harami: a short body inside a long one, against its colour', () => {
    const long: Ohlc = [100.0, 100.6, 99.4, 100.5];
    expect(signalAtEnd([...flat(12), long, [100.3, 100.4, 100.1, 100.2]], 'harami')).toBe(-100);
    expect(signalAtEnd([...flat(12), long, [100.5, 100.6, 100.2, 100.3]], 'harami')).toBe(-80);
    expect(signalAtEnd([...flat(12), long, [100.3, 100.7, 100.1, 100.6]], 'harami')).toBe(0); // leaves the first body
  });
});

describe('three candles and state', () => {
  test('morning star: long black, a small body gapping down, a white close deep into the first', () => {
    const first: Ohlc = [100.5, 100.6, 99.2, 99.3];
    const star: Ohlc = [99.1, 99.2, 98.9, 99.0];
    expect(signalAtEnd([...flat(12), first, star, [99.2, 100.2, 99.1, 100.1]], 'morning_star')).toBe(100);
    expect(signalAtEnd([...flat(12), first, star, [99.2, 99.7, 99.1, 99.6]], 'morning_star')).toBe(0); // 99.6 < 99.3 + 0.3 × 1.2
  });

  test('hikkake: +100 on the false breakout of an inside bar, +200 when a close beyond the inside bar confirms it', () => {
    const rows: Ohlc[] = [...flat(10), [100, 101, 99, 100.2], [100.1, 100.6, 99.6, 100.3], [100, 100.4, 99.2, 99.4]];
    expect(signalAtEnd(rows, 'hikkake')).toBe(100);
    expect(signalAtEnd([...rows, [99.5, 100.9, 99.4, 100.8]], 'hikkake')).toBe(200);
  });
});

describe('our judgement, apart from the definition', () => {
  const hammer: Ohlc = [95.1, 95.15, 94.3, 95.12];

  test('a hammer after a decline is a reversal in context; its volume ratio is reported', () => {
    const hit = hitAtEnd([...afterDecline(), [95.1, 95.15, 94.3, 95.12, 2000]], 'hammer')!;
    expect(hit.direction).toBe('bullish');
    expect(hit.trend_context.prior).toBe('decline');
    expect(hit.trend_context.reversal).toBe(true);
    expect(hit.trend_context.move!).toBeLessThanOrEqual(-2);
    expect(hit.volume_ratio).toBe(2);
    expect(hit.strength).toBeGreaterThan(0);
    expect(hit.strength).toBeLessThanOrEqual(1);
  });

  test('the same hammer without a decline is still TA-Lib’s hammer, but no reversal and weaker', () => {
    const inContext = hitAtEnd([...afterDecline(), hammer], 'hammer')!;
    const flatHammer = hitAtEnd([...flat(12), [99.6, 99.72, 98.8, 99.7]], 'hammer')!;
    expect(flatHammer.trend_context).toEqual({ move: expect.any(Number), prior: 'flat', reversal: false });
    expect(flatHammer.strength).toBeLessThan(inContext.strength);
  });
});
