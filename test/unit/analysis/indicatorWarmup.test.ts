/** Indicators do not depend on the window's length once the warm-up candles come along. */
import { analyzeSeries } from '../../../analysis/analyzeSeries.js';
import { buildAnalysisData } from '../../../analysis/analysisData.js';
import { indicatorStart, WARMUP_CANDLES } from '../../../analysis/indicators/indicatorWarmup.js';
import { seriesOf, typedTraderCandles } from './candleBuilders.js';

const candles = typedTraderCandles('urth-2025-1h');

function windowOf(length: number, warmup = WARMUP_CANDLES) {
  const end = candles.length;
  return {
    ...seriesOf(candles.slice(end - length)),
    warmup: candles.slice(Math.max(0, end - length - warmup), end - length),
  };
}

const relativelyEqual = (a: number | undefined, b: number | undefined) => {
  expect(a).toBeDefined();
  expect(b).toBeDefined();
  expect(Math.abs(a! - b!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b!)));
};

test('the warm-up is long enough for MACD 26/9, RSI 14 and ATR 14 to forget their seeds', () => {
  const start = indicatorStart();
  expect(WARMUP_CANDLES).toBeGreaterThanOrEqual(3 * 26 + 9);
  expect(WARMUP_CANDLES).toBe(Math.max(...Object.values(start)));
  expect(start.emaSlow).toBe(180);
  expect(start.rsi).toBe(201);
});

test('RSI, EMA and MACD at the last bar are equal whether the window is 30 or 1,000 bars', () => {
  const short = analyzeSeries(windowOf(30));
  const long = analyzeSeries(windowOf(1000));
  expect(short.candleCount).toBe(30);
  expect(long.candleCount).toBe(1000);
  relativelyEqual(short.latest.rsi, long.latest.rsi);
  relativelyEqual(short.latest.emaFast, long.latest.emaFast);
  relativelyEqual(short.latest.emaSlow, long.latest.emaSlow);
  relativelyEqual(short.latest.macd?.line, long.latest.macd?.line);
  relativelyEqual(short.latest.macd?.signal, long.latest.macd?.signal);
  relativelyEqual(short.latest.atr, long.latest.atr);
  // Every indicator has a value from the window's first candle on.
  expect(short.indicatorsFrom).toBe(0);
  expect(Number.isNaN(short.indicators.rsi[0]!)).toBe(false);
  expect(short.indicators.rsi).toHaveLength(30);
});

test('without warm-up an indicator reports nothing until it has converged', () => {
  const bare = analyzeSeries(seriesOf(candles.slice(-30)));
  expect(bare.latest.rsi).toBeUndefined();
  expect(bare.latest.macd).toBeUndefined();
  expect(bare.latest.smaFast).toBeDefined(); // an SMA is exact once its period is full
  expect(bare.indicatorsFrom).toBe(30);
  const data = buildAnalysisData(seriesOf(candles.slice(-30)), bare);
  expect(data.indicators.rsi.value).toBeNull();
  expect(data.warmup.candles).toBe(0);
  const partial = analyzeSeries(windowOf(300, 100));
  expect(partial.indicatorsFrom).toBe(WARMUP_CANDLES - 100);
  expect(Number.isNaN(partial.indicators.rsi[WARMUP_CANDLES - 101]!)).toBe(true);
  expect(Number.isNaN(partial.indicators.rsi[WARMUP_CANDLES - 100]!)).toBe(false);
});

test('candlestick hits and chart patterns are reported for the window only, indexed within it', () => {
  const report = analyzeSeries(windowOf(500));
  for (const hit of report.candlestickPatterns) expect(hit.index - hit.candles + 1).toBeGreaterThanOrEqual(0);
  for (const hit of report.chartPatterns) expect(hit.startIndex).toBeGreaterThanOrEqual(0);
  const windowStart = candles[candles.length - 500]!.time;
  for (const hit of report.candlestickPatterns) expect(hit.time).toBeGreaterThanOrEqual(windowStart);
});
