/** Hit-rate statistics: known answers on a constructed series, and real URTH candles. */
import { analyzeSeries } from '../../../analysis/analyzeSeries.js';
import { buildAnalysisData } from '../../../analysis/analysisData.js';
import { MIN_OCCURRENCES, patternHitRates } from '../../../analysis/chartPatterns/hitRates.js';
import { buildSummaryFacts } from '../../../analysis/summary/summaryFacts.js';
import { writeRuleBasedSummary } from '../../../analysis/summary/writeRuleBasedSummary.js';
import { candlesOf, seriesOf, typedTraderCandles } from './candleBuilders.js';

// Closes 100, 101, …, 129: every 5-candle return from index i is 5 / (100 + i).
const rising = candlesOf(Array.from({ length: 30 }, (_, k) => [100 + k, 100.5 + k, 99.5 + k, 100 + k]));

test('forward returns, direction share and median on a known series', () => {
  const [bull, bear] = patternHitRates(rising, [
    { pattern: 'x', direction: 'bullish', index: 0 },
    { pattern: 'x', direction: 'bullish', index: 4 },
    { pattern: 'x', direction: 'bullish', index: 15 },
    { pattern: 'x', direction: 'bearish', index: 2 },
  ]);
  expect(bull!.occurrences).toBe(3);
  expect(bull!.horizons[0]).toEqual({
    bars: 5,
    count: 3,
    inDirection: 1,
    medianReturn: Number(((5 / 104) * 100).toFixed(3)),
  });
  // Index 15 + 20 is past the end: left out of the 20-candle horizon only.
  expect(bull!.horizons[2]).toEqual({
    bars: 20,
    count: 2,
    inDirection: 1,
    medianReturn: Number((((20 / 100 + 20 / 104) / 2) * 100).toFixed(3)),
  });
  expect(bear!.horizons[1]!.inDirection).toBe(0);
  expect(bull!.meaningful).toBe(false);
});

test('neutral patterns get returns but no direction share', () => {
  const [neutral] = patternHitRates(rising, [{ pattern: 'doji', direction: 'neutral', index: 3 }]);
  expect(neutral!.horizons[0]!.inDirection).toBeNull();
  expect(neutral!.horizons[0]!.medianReturn).toBeGreaterThan(0);
});

describe('on a year of URTH hourly candles', () => {
  const candles = typedTraderCandles('urth-2025-1h');
  const series = { ...seriesOf(candles), symbol: 'URTH', timeframe: '1y' };
  const report = analyzeSeries(series);

  test('every pattern kind found is counted, deterministically', () => {
    const kinds = new Set([
      ...report.chartPatterns.map((hit) => `${hit.pattern}:${hit.direction}`),
      ...report.candlestickPatterns.map((hit) => `${hit.pattern}:${hit.direction}`),
    ]);
    expect(new Set(report.hitRates.map((rate) => `${rate.pattern}:${rate.direction}`))).toEqual(kinds);
    expect(analyzeSeries(series).hitRates).toEqual(report.hitRates);
    const doubleBottom = report.hitRates.find((rate) => rate.pattern === 'double_bottom')!;
    expect(doubleBottom.occurrences).toBe(report.chartPatterns.filter((hit) => hit.pattern === 'double_bottom').length);
    for (const horizon of doubleBottom.horizons) {
      expect(horizon.count).toBeLessThanOrEqual(doubleBottom.occurrences);
      expect(horizon.inDirection!).toBeGreaterThanOrEqual(0);
      expect(horizon.inDirection!).toBeLessThanOrEqual(1);
    }
  });

  test('in analysis_data.statistics, and in the summary only when meaningful', () => {
    const data = buildAnalysisData(series, report);
    expect(data.statistics.horizons).toEqual([5, 10, 20]);
    expect(data.statistics.patterns.length).toBe(report.hitRates.length);
    const facts = buildSummaryFacts(series, report);
    for (const rate of facts.hitRates) expect(rate.occurrences).toBeGreaterThanOrEqual(MIN_OCCURRENCES);
    const text = writeRuleBasedSummary(facts);
    if (facts.hitRates.length > 0) expect(text).toContain('Ten candles after earlier occurrences in this window');
    const few = { ...facts, hitRates: [] };
    expect(writeRuleBasedSummary(few)).not.toContain('earlier occurrences');
  });
});
