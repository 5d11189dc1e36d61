import type { Candle } from '../../../analysis/candles.js';
import { detectChartPatterns } from '../../../analysis/chartPatterns/detectChartPatterns.js';
import type { ChartPatternName } from '../../../analysis/chartPatterns/chartPatternTypes.js';
import { buildCandleContext } from '../../../analysis/patterns/candleContext.js';
import { pathCandles } from './candleBuilders.js';

function analyse(candles: Candle[]) {
  const context = buildCandleContext(candles);
  return detectChartPatterns(candles, context.averageRange, context.averageVolume);
}
const patternsOf = (waypoints: number[], pattern: ChartPatternName) =>
  analyse(pathCandles(waypoints)).patterns.filter((hit) => hit.pattern === pattern);

describe('double top and double bottom', () => {
  test('two matching peaks with a deep trough, confirmed below the trough', () => {
    const hits = patternsOf([100, 106, 102, 106.2, 100], 'double_top');
    expect(hits).toHaveLength(1);
    const [hit] = hits;
    expect(hit!.direction).toBe('bearish');
    expect(hit!.confirmed).toBe(true);
    expect(hit!.level).toBeCloseTo(101.9, 5); // the trough's low
    expect(hit!.points.map((point) => point.price)).toEqual([106.1, 101.9, expect.closeTo(106.3, 5)]);
    expect(hit!.confidence).toBeGreaterThan(0.6);
    expect(hit!.endTime).toBeGreaterThan(hit!.startTime);
  });

  test('unconfirmed while price stays above the trough', () => {
    const hits = patternsOf([100, 106, 102, 106.2, 103], 'double_top');
    expect(hits).toHaveLength(1);
    expect(hits[0]!.confirmed).toBe(false);
  });

  test('near misses: unequal peaks, a shallow trough', () => {
    expect(patternsOf([100, 106, 102, 104, 100], 'double_top')).toHaveLength(0);
    expect(patternsOf([100, 106, 105.3, 106, 100], 'double_top')).toHaveLength(0);
  });

  test('double bottom mirrors it', () => {
    const hits = patternsOf([106, 100, 104, 99.8, 106], 'double_bottom');
    expect(hits).toHaveLength(1);
    expect(hits[0]!.direction).toBe('bullish');
    expect(hits[0]!.confirmed).toBe(true);
    expect(patternsOf([106, 100, 104, 102, 106], 'double_bottom')).toHaveLength(0);
  });
});

describe('head and shoulders', () => {
  test('a head above two matching shoulders over a level neckline, confirmed below it', () => {
    const hits = patternsOf([100, 104, 102, 107, 102.2, 104.1, 100], 'head_and_shoulders');
    expect(hits).toHaveLength(1);
    const [hit] = hits;
    expect(hit!.direction).toBe('bearish');
    expect(hit!.confirmed).toBe(true);
    expect(hit!.points.map((point) => point.label)).toEqual([
      'left shoulder',
      'left trough',
      'head',
      'right trough',
      'right shoulder',
    ]);
    expect(hit!.points[2]!.price).toBeCloseTo(107.1, 5);
  });

  test('near misses: a head barely above the shoulders, mismatched shoulders', () => {
    expect(patternsOf([100, 104, 102, 104.3, 102.2, 104.1, 100], 'head_and_shoulders')).toHaveLength(0);
    expect(patternsOf([100, 103, 102, 107, 102.2, 105.5, 100], 'head_and_shoulders')).toHaveLength(0);
  });

  test('the inverse pattern mirrors it', () => {
    const hits = patternsOf([100, 96, 98, 93, 97.8, 95.9, 100], 'inverse_head_and_shoulders');
    expect(hits).toHaveLength(1);
    expect(hits[0]!.direction).toBe('bullish');
    expect(hits[0]!.confirmed).toBe(true);
    expect(patternsOf([100, 96, 98, 95.7, 97.8, 95.9, 100], 'inverse_head_and_shoulders')).toHaveLength(0);
  });
});

describe('support and resistance', () => {
  test('repeated turns at 104 and 100 become levels with their touch counts', () => {
    const { levels } = analyse(pathCandles([102, 104, 100, 104.1, 100.1, 103.9, 99.9, 102]));
    const resistance = levels.find((level) => level.kind === 'resistance');
    const support = levels.find((level) => level.kind === 'support');
    expect(resistance?.price).toBeCloseTo(104.1, 1);
    expect(resistance?.touches).toBe(3);
    expect(support?.price).toBeCloseTo(99.9, 1);
    expect(support?.touches).toBe(3);
    expect(resistance!.lastTouchTime).toBeGreaterThan(resistance!.firstTouchTime);
  });

  test('a single turn is not a level', () => {
    const { levels } = analyse(pathCandles([100, 110, 100]));
    expect(levels.filter((level) => level.price > 105)).toHaveLength(0);
  });
});

describe('trend', () => {
  test('direction and strength from the regression over the window', () => {
    const up = analyse(pathCandles([100, 104, 102, 107, 105, 110]));
    expect(up.trend.direction).toBe('up');
    expect(up.trend.strength).toBeGreaterThan(0.7);
    expect(up.trend.changePercent).toBeGreaterThan(5);
    expect(analyse(pathCandles([110, 106, 108, 103, 105, 100])).trend.direction).toBe('down');
    const range = analyse(pathCandles([102, 104, 100, 104, 100, 104, 100, 102]));
    expect(range.trend.direction).toBe('sideways');
    expect(range.trend.strength).toBeLessThan(0.3);
  });
});

describe('breakouts', () => {
  test('a close through an established resistance after a spell below it', () => {
    const candles = pathCandles([102, 104, 100, 104, 100, 104, 100, 102, 107]);
    const breakouts = analyse(candles).patterns.filter(
      (hit) => hit.pattern === 'breakout' && hit.direction === 'bullish',
    );
    expect(breakouts).toHaveLength(1);
    const [hit] = breakouts;
    expect(hit!.level).toBeCloseTo(104.1, 1);
    const candle = candles[hit!.endIndex]!;
    expect(candle.close).toBeGreaterThan(104.1 + 0.3);
    expect(candles[hit!.endIndex - 1]!.close).toBeLessThan(104.1 + 0.34);
  });

  test('near miss: price reaching the level without closing through it', () => {
    const candles = pathCandles([102, 104, 100, 104, 100, 104, 100, 104.2]);
    expect(analyse(candles).patterns.filter((hit) => hit.pattern === 'breakout')).toHaveLength(0);
  });
});
