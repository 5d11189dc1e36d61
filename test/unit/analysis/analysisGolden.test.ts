/**
 * Golden file: what a job computes from its candles — the report (chart patterns, pivots,
 * levels, trend, hit rates, latest indicators), its SVG chart, rule-based summary and
 * analysis_data — on real series and on the synthetic source's windows (with their warm-up),
 * as recorded in test/fixtures/analysis-report.golden.json. The per-candle series that are
 * long (indicator values, candlestick hits, which the candlestick golden file pins on its
 * own) and the SVG are recorded as SHA-256 digests with their sizes. Speed work must leave
 * all of it unchanged; a deliberate change regenerates the file:
 *   UPDATE_GOLDEN=1 node --experimental-vm-modules node_modules/jest/bin/jest.js test/unit/analysis/analysisGolden.test.ts
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { buildAnalysisData } from '../../../analysis/analysisData.js';
import { analyzeSeries } from '../../../analysis/analyzeSeries.js';
import type { CandleSeries } from '../../../analysis/candles.js';
import type { Interval } from '../../../analysis/intervals.js';
import { renderChartSvg } from '../../../analysis/chart/renderChartSvg.js';
import { buildSummaryFacts } from '../../../analysis/summary/summaryFacts.js';
import { writeRuleBasedSummary } from '../../../analysis/summary/writeRuleBasedSummary.js';
import { syntheticCandleSource } from '../../../integrations/marketData/syntheticCandleSource.js';
import { seriesOf, tickGridWalk, typedTraderCandles } from './candleBuilders.js';

const GOLDEN = new URL('../../fixtures/analysis-report.golden.json', import.meta.url);

const synthetic = (symbol: string, interval: Interval, timeframe: string) => () =>
  syntheticCandleSource.load({ symbol, interval, timeframe, signal: new AbortController().signal });

const SERIES: Record<string, () => Promise<CandleSeries>> = {
  'urth-2025-1h': async () => ({ ...seriesOf(typedTraderCandles('urth-2025-1h')), symbol: 'URTH', timeframe: '1y' }),
  'urth-2025-1h-week': async () => ({
    ...seriesOf(typedTraderCandles('urth-2025-1h').slice(-168)),
    symbol: 'URTH',
    timeframe: '7d',
  }),
  'downtrend-msft': async () => ({ ...seriesOf(typedTraderCandles('downtrend-msft')), symbol: 'MSFT' }),
  'synthetic-7d-1h': synthetic('BENCHUSD', '1h', '7d'),
  'synthetic-10000h-1h': synthetic('BENCHUSD', '1h', '10000h'),
  'synthetic-90d-1d': synthetic('GOLDENUSD', '1d', '90d'),
  'tick-grid-5000': async () => ({ ...seriesOf(tickGridWalk(5_000, 777)), timeframe: '5000h' }),
};

const digest = (value: unknown): { sha256: string; chars: number } => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return { sha256: createHash('sha256').update(text).digest('hex'), chars: text.length };
};

async function recordOf(load: () => Promise<CandleSeries>): Promise<Record<string, unknown>> {
  const series = await load();
  const { indicators, candlestickPatterns, ...report } = analyzeSeries(series);
  const full = { ...report, indicators, candlestickPatterns };
  const record = {
    report,
    indicators: digest(indicators),
    candlestickPatterns: { count: candlestickPatterns.length, ...digest(candlestickPatterns) },
    svg: digest(renderChartSvg(series, full)),
    summary: writeRuleBasedSummary(buildSummaryFacts(series, full)),
    analysisData: buildAnalysisData(series, full),
  };
  // As JSON, so that −0 and 0 (and undefined and absent) compare as a client would see them.
  return JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
}

let golden: Record<string, Record<string, unknown>>;
beforeAll(async () => {
  if (process.env.UPDATE_GOLDEN === '1') {
    const fresh: Record<string, Record<string, unknown>> = {};
    for (const [name, load] of Object.entries(SERIES)) fresh[name] = await recordOf(load);
    writeFileSync(GOLDEN, `${JSON.stringify(fresh)}\n`);
  }
  golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as typeof golden;
});

test('the golden file covers every series', () => {
  expect(Object.keys(golden)).toEqual(Object.keys(SERIES));
});

test.each(Object.keys(SERIES))('%s: report, chart, summary and analysis_data as recorded', async (name) => {
  const actual = await recordOf(SERIES[name]!);
  const expected = golden[name]!;
  for (const key of Object.keys(expected)) expect({ key, value: actual[key] }).toEqual({ key, value: expected[key] });
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
});
