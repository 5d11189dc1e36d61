/** On a real year of hourly candles, each pattern fires a plausible number of times. */
import { analyzeSeries } from '../../../analysis/analyzeSeries.js';
import { countByPattern } from '../../../analysis/patterns/detectCandlestickPatterns.js';
import { CANDLESTICK_PATTERNS } from '../../../analysis/patterns/candlestickTypes.js';
import { CHART_PATTERNS } from '../../../analysis/chartPatterns/chartPatternTypes.js';
import { seriesOf, typedTraderCandles } from './candleBuilders.js';

const candles = typedTraderCandles('urth-2025-1h');
const report = analyzeSeries({ ...seriesOf(candles), symbol: 'URTH', timeframe: '1y' });
const counts = countByPattern(report.candlestickPatterns);
const chartCounts = Object.fromEntries(
  CHART_PATTERNS.map((name) => [name, report.chartPatterns.filter((hit) => hit.pattern === name).length]),
);

// TA-Lib's definitions flag short lines, belt holds and dojis on many thinly traded hourly bars; the reversal shapes stay rare.
test('candlestick patterns: none fires on more than 40% of candles, the two-candle reversals on under 8%', () => {
  for (const pattern of CANDLESTICK_PATTERNS)
    expect({ pattern, share: counts[pattern] / candles.length < 0.4 }).toEqual({ pattern, share: true });
  for (const pattern of [
    'engulfing',
    'harami',
    'morning_star',
    'evening_star',
    'three_white_soldiers',
    'three_black_crows',
    'piercing_line',
    'dark_cloud_cover',
  ] as const) {
    expect({ pattern, share: counts[pattern] / candles.length < 0.08 }).toEqual({ pattern, share: true });
  }
});

test('candlestick patterns: the common ones do occur in a year', () => {
  for (const pattern of [
    'doji',
    'hammer',
    'inverted_hammer',
    'hanging_man',
    'shooting_star',
    'marubozu',
    'spinning_top',
    'engulfing',
    'harami',
  ] as const) {
    expect({ pattern, seen: counts[pattern] > 0 }).toEqual({ pattern, seen: true });
  }
  expect(
    counts.morning_star + counts.evening_star + counts.three_white_soldiers + counts.three_black_crows,
  ).toBeLessThan(40);
});

test('chart patterns and levels stay plausible', () => {
  expect(chartCounts.double_top! + chartCounts.double_bottom!).toBeGreaterThan(0);
  // Found across minor swings, one per stretch of chart: about one every 35 hourly candles.
  expect(chartCounts.double_top! + chartCounts.double_bottom!).toBeLessThan(60);
  expect(report.chartPatterns.length).toBeLessThan(candles.length / 8);
  for (const hit of report.chartPatterns) {
    expect(hit.status === 'failed').toBe(hit.failedTime !== undefined);
    expect(hit.status === 'unconfirmed').toBe(!hit.confirmed && hit.failedTime === undefined);
  }
  expect(chartCounts.head_and_shoulders! + chartCounts.inverse_head_and_shoulders!).toBeLessThan(15);
  expect(chartCounts.breakout!).toBeLessThan(candles.length / 25);
  expect(report.levels.filter((level) => level.kind === 'support').length).toBeGreaterThan(0);
  expect(report.levels.filter((level) => level.kind === 'resistance').length).toBeGreaterThan(0);
  expect(report.trend.direction).toBe('up'); // URTH rose about 19% from its first to its last hour of 2025
  // Printed so the figures can be reported; the assertions above are the test.
  console.log(
    JSON.stringify({ candles: candles.length, candlestick: counts, chart: chartCounts, pivots: report.pivots.length }),
  );
});
