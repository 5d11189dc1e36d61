/** Indicators on real URTH 2025 hourly candles against computations written out here. */
import { computeIndicators } from '../../../analysis/indicators/computeIndicators.js';
import { typedTraderCandles } from './candleBuilders.js';

const candles = typedTraderCandles('urth-2025-1h');
const close = candles.map((candle) => candle.close);
const indicators = computeIndicators(candles);

function sma(values: number[], period: number): number[] {
  return values.map((_, index) =>
    index + 1 < period ? Number.NaN : values.slice(index + 1 - period, index + 1).reduce((a, b) => a + b, 0) / period,
  );
}

function ema(values: number[], period: number, from = 0): number[] {
  const k = 2 / (period + 1);
  const out = values.map(() => Number.NaN);
  out[from] = values[from]!;
  for (let index = from + 1; index < values.length; index += 1)
    out[index] = values[index]! * k + out[index - 1]! * (1 - k);
  return out;
}

function expectSeries(actual: number[], expected: number[], firstDefined: number) {
  expect(actual).toHaveLength(expected.length);
  expect(actual.findIndex((value) => !Number.isNaN(value))).toBe(firstDefined);
  for (let index = firstDefined; index < expected.length; index += 1) {
    const want = expected[index]!;
    if (Math.abs(actual[index]! - want) > 1e-8 * Math.max(1, Math.abs(want)))
      throw new Error(`index ${index}: got ${actual[index]}, want ${want}`);
  }
}

test('the candles are the real dataset', () => {
  expect(candles.length).toBeGreaterThan(1500);
  expect(new Date(candles[0]!.time).toISOString()).toBe('2025-01-02T14:00:00.000Z');
});

test('SMA 20 and 50', () => {
  expectSeries(indicators.smaFast, sma(close, 20), 19);
  expectSeries(indicators.smaSlow, sma(close, 50), 49);
});

test('EMA 12 and 26, seeded with the first close', () => {
  expectSeries(indicators.emaFast, ema(close, 12), 0);
  expectSeries(indicators.emaSlow, ema(close, 26), 0);
});

test('RSI 14 with Wilder smoothing', () => {
  const period = 14;
  const expected = close.map(() => Number.NaN);
  let gain = 0;
  let loss = 0;
  for (let index = 1; index <= period; index += 1) {
    const change = close[index]! - close[index - 1]!;
    gain += Math.max(0, change) / period;
    loss += Math.max(0, -change) / period;
  }
  expected[period] = 100 - 100 / (1 + gain / loss);
  for (let index = period + 1; index < close.length; index += 1) {
    const change = close[index]! - close[index - 1]!;
    gain = (gain * (period - 1) + Math.max(0, change)) / period;
    loss = (loss * (period - 1) + Math.max(0, -change)) / period;
    expected[index] = 100 - 100 / (1 + gain / loss);
  }
  expectSeries(indicators.rsi, expected, period);
  const defined = indicators.rsi.filter((value) => !Number.isNaN(value));
  expect(Math.min(...defined)).toBeGreaterThanOrEqual(0);
  expect(Math.max(...defined)).toBeLessThanOrEqual(100);
});

test('MACD 12/26/9', () => {
  const fast = ema(close, 12);
  const slow = ema(close, 26);
  const line = close.map((_, index) => (index < 25 ? Number.NaN : fast[index]! - slow[index]!));
  const signal = ema(line, 9, 25);
  expectSeries(indicators.macd.line, line, 25);
  expectSeries(indicators.macd.signal, signal, 25);
  expectSeries(
    indicators.macd.histogram,
    line.map((value, index) => value - signal[index]!),
    25,
  );
});

test('Bollinger bands 20, 2 population deviations', () => {
  const middle = sma(close, 20);
  const deviation = close.map((_, index) => {
    if (index < 19) return Number.NaN;
    const window = close.slice(index - 19, index + 1);
    return Math.sqrt(window.reduce((sum, value) => sum + (value - middle[index]!) ** 2, 0) / 20);
  });
  expectSeries(indicators.bollinger.middle, middle, 19);
  expectSeries(
    indicators.bollinger.upper,
    middle.map((value, index) => value + 2 * deviation[index]!),
    19,
  );
  expectSeries(
    indicators.bollinger.lower,
    middle.map((value, index) => value - 2 * deviation[index]!),
    19,
  );
});

test('ATR 14: Wilder-smoothed true range', () => {
  const trueRange = candles.map((candle, index) => {
    const previous = candles[index - 1];
    if (!previous) return candle.high - candle.low;
    return Math.max(
      candle.high - candle.low,
      Math.abs(candle.high - previous.close),
      Math.abs(candle.low - previous.close),
    );
  });
  const expected = candles.map(() => Number.NaN);
  expected[13] = trueRange.slice(0, 14).reduce((a, b) => a + b, 0) / 14;
  for (let index = 14; index < candles.length; index += 1)
    expected[index] = (expected[index - 1]! * 13 + trueRange[index]!) / 14;
  expectSeries(indicators.atr, expected, 13);
});

test('average volume: SMA 20 of volume', () => {
  expectSeries(
    indicators.averageVolume,
    sma(
      candles.map((candle) => candle.volume),
      20,
    ),
    19,
  );
});

test('too few candles give NaN, not an exception', () => {
  const short = computeIndicators(candles.slice(0, 10));
  expect(short.smaFast.every(Number.isNaN)).toBe(true);
  expect(short.rsi.every(Number.isNaN)).toBe(true);
  expect(short.macd.line.every(Number.isNaN)).toBe(true);
  expect(short.emaFast.some(Number.isNaN)).toBe(false);
  expect(computeIndicators([]).atr).toEqual([]);
});
