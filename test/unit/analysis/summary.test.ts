import { analyzeSeries } from '../../../analysis/analyzeSeries.js';
import { buildAnalysisData } from '../../../analysis/analysisData.js';
import { buildSummaryPrompt } from '../../../analysis/summary/buildSummaryPrompt.js';
import { buildSummaryFacts } from '../../../analysis/summary/summaryFacts.js';
import { formatPrice, writeRuleBasedSummary } from '../../../analysis/summary/writeRuleBasedSummary.js';
import { seriesOf, typedTraderCandles } from './candleBuilders.js';

const series = { ...seriesOf(typedTraderCandles('urth-2025-1h').slice(-168)), symbol: 'URTH', timeframe: '30d' };
const report = analyzeSeries(series);
const facts = buildSummaryFacts(series, report);

describe('rule-based summary', () => {
  test('is deterministic: same input, same text', () => {
    const again = buildSummaryFacts(
      { ...series, candles: series.candles.map((candle) => ({ ...candle })) },
      analyzeSeries(series),
    );
    expect(writeRuleBasedSummary(again)).toBe(writeRuleBasedSummary(facts));
  });

  test('names the key levels, the trend and the patterns', () => {
    const text = writeRuleBasedSummary(facts);
    expect(facts.support.length + facts.resistance.length).toBeGreaterThan(1);
    for (const level of [...facts.support, ...facts.resistance])
      expect(text).toContain(`${formatPrice(level.price)} (${level.touches} touches)`);
    for (const hit of [...facts.recentCandlestickPatterns, ...facts.chartPatterns]) expect(text).toContain(hit.pattern);
    expect(facts.chartPatterns.length).toBeGreaterThan(0);
    expect(text).toContain(`Trend ${facts.trend.direction}`);
    expect(text).toContain('URTH 1h over 30d (file data, 168 candles');
    expect(text).toContain(`last close ${formatPrice(facts.lastClose)}`);
  });

  test('synthetic data says so first', () => {
    const synthetic = { ...series, source: 'synthetic' as const };
    const text = writeRuleBasedSummary(buildSummaryFacts(synthetic, report));
    expect(text.startsWith('SYNTHETIC DATA')).toBe(true);
    expect(writeRuleBasedSummary(facts)).not.toContain('SYNTHETIC');
  });

  test('an empty window is reported, not crashed on', () => {
    const empty = { ...series, candles: [] };
    expect(writeRuleBasedSummary(buildSummaryFacts(empty, analyzeSeries(empty)))).toContain('no candles');
  });

  test('the LLM prompt carries the facts and the rules', () => {
    const prompt = buildSummaryPrompt(facts);
    expect(prompt.system).toMatch(/only the facts/);
    expect(JSON.parse(prompt.user.slice(prompt.user.indexOf('{')))).toEqual(facts);
  });
});

describe('analysis_data', () => {
  test('is compact JSON that records the data source', () => {
    const big = {
      ...seriesOf(typedTraderCandles('urth-2025-1h')),
      symbol: 'URTH',
      timeframe: '1y',
      source: 'synthetic' as const,
      sourceDetail: 'seeded random walk',
    };
    const data = buildAnalysisData(big, analyzeSeries(big));
    const json = JSON.stringify(data);
    // Bounded by the recent hits kept and the pattern kinds (statistics), not by the window's length.
    const statistics = JSON.stringify(data.statistics).length;
    expect(json.length - statistics).toBeLessThan(20_000);
    expect(statistics).toBeLessThan(350 * data.statistics.patterns.length);
    expect(JSON.parse(json)).toEqual(data);
    expect(data.data_source).toBe('synthetic');
    expect(data.synthetic).toBe(true);
    expect(data.source_detail).toBe('seeded random walk');
    expect(data.candle_count).toBe(big.candles.length);
    expect(Object.values(data.candlestick_patterns.counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(
      data.candlestick_patterns.recent.length,
    );
    expect(data.indicators.rsi.value).toBeGreaterThan(0);
    expect(data.window.start).toBe('2025-01-02T14:00:00.000Z');
  });
});
