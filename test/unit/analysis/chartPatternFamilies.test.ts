/** Each chart-pattern family on constructed price paths: found, its status, and near misses. */
import type { Candle } from '../../../analysis/candles.js';
import type { ChartPatternName } from '../../../analysis/chartPatterns/chartPatternTypes.js';
import { detectChartPatterns } from '../../../analysis/chartPatterns/detectChartPatterns.js';
import { buildCandleContext } from '../../../analysis/patterns/candleContext.js';
import { candlesOf, pathCandles, type Ohlc } from './candleBuilders.js';

function analyse(candles: Candle[]) {
  const context = buildCandleContext(candles);
  return detectChartPatterns(candles, context.averageRange, context.averageVolume);
}
const hitsOf = (candles: Candle[], pattern: ChartPatternName) =>
  analyse(candles).patterns.filter((hit) => hit.pattern === pattern);
const patternsOf = (waypoints: number[], pattern: ChartPatternName) => hitsOf(pathCandles(waypoints), pattern);

/** Paths joined end to end, each with its own step per candle (a steep pole, then a quiet flag). */
function joined(segments: readonly (readonly [number[], number])[]): Candle[] {
  const rows: Ohlc[] = [];
  for (const [waypoints, step] of segments) {
    const part = pathCandles(waypoints, step).map((c): Ohlc => [c.open, c.high, c.low, c.close]);
    rows.push(...(rows.length > 0 ? part.slice(1) : part));
  }
  return candlesOf(rows);
}

describe('double tops across minor swings', () => {
  test('two peaks with a smaller swing between them are one double top', () => {
    const hits = patternsOf([100, 106, 103, 104.5, 102, 106.1, 100], 'double_top');
    expect(hits).toHaveLength(1);
    expect(hits[0]!.points.map((point) => point.price)).toEqual([106.1, 101.9, expect.closeTo(106.2, 5)]);
    expect(hits[0]!.status).toBe('confirmed');
  });

  test('a top whose peaks are exceeded is failed, with the date, and not unconfirmed', () => {
    const candles = pathCandles([100, 106, 102, 106.2, 103, 108]);
    const [hit] = hitsOf(candles, 'double_top');
    expect(hit!.status).toBe('failed');
    expect(hit!.confirmed).toBe(false);
    expect(candles[hit!.failedIndex!]!.close).toBeGreaterThan(hit!.invalidation);
    expect(hit!.failedTime).toBe(candles[hit!.failedIndex!]!.time);
  });

  test('thresholds follow local volatility: a later crash does not hide an earlier top', () => {
    const pattern = pathCandles([100, 106, 102, 106.2, 100]);
    const crash: Ohlc[] = Array.from({ length: 150 }, (_, k) => {
      const open = 100 - k * 0.3;
      return [open, open + 6, open - 6, open - 0.3];
    });
    const candles = candlesOf([...pattern.map((c): Ohlc => [c.open, c.high, c.low, c.close]), ...crash]);
    const [hit] = hitsOf(candles, 'double_top');
    expect(hit).toBeDefined();
    expect(hit!.volatility).toBeLessThan(1);
  });
});

describe('head and shoulders across minor swings', () => {
  test('a minor swing inside the left shoulder does not hide the pattern', () => {
    const hits = patternsOf([100, 104, 102.2, 103.6, 102, 107, 102.2, 104.1, 100], 'head_and_shoulders');
    expect(hits).toHaveLength(1);
    expect(hits[0]!.points.map((point) => point.label)).toEqual([
      'left shoulder',
      'left trough',
      'head',
      'right trough',
      'right shoulder',
    ]);
    expect(hits[0]!.points[0]!.price).toBeCloseTo(104.1, 5);
    expect(hits[0]!.status).toBe('confirmed');
  });

  test('a head exceeded later fails the pattern', () => {
    const [hit] = patternsOf([100, 104, 102, 107, 102.2, 104.1, 103, 108], 'head_and_shoulders');
    expect(hit!.status).toBe('failed');
  });
});

describe('triangles', () => {
  test('ascending: a flat top over rising lows, confirmed above the top', () => {
    const [hit, ...rest] = patternsOf([100, 105, 101, 105, 102, 105, 103, 105, 108], 'ascending_triangle');
    expect(rest).toHaveLength(0);
    expect(hit!.direction).toBe('bullish');
    expect(hit!.status).toBe('confirmed');
    expect(hit!.lines).toHaveLength(2);
    const upper = hit!.lines!.find((line) => line.label === 'upper')!;
    expect(Math.abs(upper.endPrice - upper.startPrice)).toBeLessThan(0.3);
  });

  test('descending: falling highs over a flat bottom, bearish', () => {
    const [hit] = patternsOf([110, 105, 109, 105, 108, 105, 107, 105, 102], 'descending_triangle');
    expect(hit!.direction).toBe('bearish');
    expect(hit!.status).toBe('confirmed');
  });

  test('symmetric: falling highs and rising lows', () => {
    expect(patternsOf([100, 108, 101, 107, 102, 106, 103, 105, 108], 'symmetric_triangle')).toHaveLength(1);
  });

  test('near miss: parallel swings are no triangle', () => {
    const candles = pathCandles([100, 105, 101, 105, 101, 105, 101, 105, 108]);
    const names = analyse(candles).patterns.map((hit) => hit.pattern);
    expect(names.filter((name) => name.endsWith('triangle'))).toEqual([]);
  });
});

describe('wedges', () => {
  test('rising wedge: both lines up, converging, bearish; confirmed below the lower line', () => {
    const [hit] = patternsOf([100, 106, 102, 107.5, 104.5, 109, 106.5, 110, 103], 'rising_wedge');
    expect(hit!.direction).toBe('bearish');
    expect(hit!.status).toBe('confirmed');
  });

  test('falling wedge: both lines down, converging, bullish', () => {
    const [hit] = patternsOf([110, 104, 108, 102.5, 105.5, 101, 103.5, 100, 107], 'falling_wedge');
    expect(hit!.direction).toBe('bullish');
    expect(hit!.status).toBe('confirmed');
  });
});

describe('channels', () => {
  test('channel up: parallel rising lines; a close below the lower line fails it', () => {
    const [hit] = patternsOf([100, 104, 102, 106, 104, 108, 106, 110, 108, 112, 104], 'channel_up');
    expect(hit!.direction).toBe('bullish');
    expect(hit!.status).toBe('failed');
  });

  test('channel down mirrors it', () => {
    const [hit] = patternsOf([112, 108, 110, 106, 108, 104, 106, 102, 104, 100, 108], 'channel_down');
    expect(hit!.direction).toBe('bearish');
  });
});

describe('flags and pennants', () => {
  test('bull flag or pennant: a steep pole, a shallow pause, a breakout above it', () => {
    const candles = joined([
      [[100, 100.5, 100, 100.5, 100], 0.25],
      [[100, 108], 1.2],
      [[108, 107, 107.6, 106.6, 107.2, 106.2, 106.8], 0.25],
      [[106.6, 111], 1],
    ]);
    const [hit, ...rest] = analyse(candles).patterns.filter(
      (found) => found.pattern === 'bull_flag' || found.pattern === 'bull_pennant',
    );
    expect(rest).toHaveLength(0);
    expect(hit!.direction).toBe('bullish');
    expect(hit!.status).toBe('confirmed');
    expect(hit!.points[1]!.label).toBe('pole end');
  });

  test('bear pennant: a steep drop, a converging pause', () => {
    const candles = joined([
      [[108, 107.5, 108, 107.5, 108], 0.25],
      [[108, 100], 1.2],
      [[100, 102, 100.5, 101.6, 100.8, 101.3, 101], 0.25],
      [[101, 96], 1],
    ]);
    const hits = analyse(candles).patterns.filter(
      (hit) => hit.pattern === 'bear_pennant' || hit.pattern === 'bear_flag',
    );
    expect(hits).toHaveLength(1);
    expect(hits[0]!.pattern).toBe('bear_pennant');
    expect(hits[0]!.direction).toBe('bearish');
  });

  test('near miss: a steady drift of the same size is no pole', () => {
    expect(patternsOf([100, 100.5, 100, 108, 107, 107.6, 106.8, 107.4, 106.6, 111], 'bull_flag')).toHaveLength(0);
  });
});

describe('breakouts in a whipsaw', () => {
  test('a breakout that closes back below fails, and the next cross is not a new breakout', () => {
    const candles = pathCandles([102, 104, 100, 104, 100, 104, 100, 102, 105, 103, 106]);
    const bullish = hitsOf(candles, 'breakout').filter((hit) => hit.direction === 'bullish');
    expect(bullish).toHaveLength(1);
    expect(bullish[0]!.status).toBe('failed');
    expect(bullish[0]!.failedTime).toBeGreaterThan(bullish[0]!.endTime);
  });
});

describe('levels prefer recent and nearby prices', () => {
  test('a far level untouched for long ranks below a nearer, recent one', () => {
    // Old resistance at 120 (touched twice long ago), recent resistance at 104 (touched twice lately).
    const candles = pathCandles([
      110,
      120,
      112,
      120.1,
      100,
      102,
      100.5,
      104,
      101,
      104.1,
      102,
      ...Array.from({ length: 40 }, (_, k) => (k % 2 === 0 ? 101.5 : 102.5)),
      102,
    ]);
    const resistance = analyse(candles).levels.filter((level) => level.kind === 'resistance');
    const far = resistance.find((level) => level.price > 115);
    const near = resistance.find((level) => Math.abs(level.price - 104.1) < 0.5);
    expect(near).toBeDefined();
    if (far) expect(far.confidence).toBeLessThan(near!.confidence);
    expect(near!.distance).toBeLessThan(far?.distance ?? Number.POSITIVE_INFINITY);
  });
});
