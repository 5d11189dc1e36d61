/** Hand-built candle series for known-answer tests. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Candle, CandleSeries } from '../../../analysis/candles.js';

const HOUR = 3_600_000;
const START = Date.UTC(2025, 0, 6);

export type Ohlc = [open: number, high: number, low: number, close: number, volume?: number];

/** Candles one hour apart from a fixed start; volume 1000 unless given. */
export function candlesOf(rows: readonly Ohlc[]): Candle[] {
  return rows.map(([open, high, low, close, volume], index) => ({
    time: START + index * HOUR,
    open,
    high,
    low,
    close,
    volume: volume ?? 1000,
  }));
}

/** `count` quiet candles around `price`: range 1.0, tiny alternating bodies, no trend. */
export function flat(count: number, price = 100): Ohlc[] {
  return Array.from({ length: count }, (_, index) => {
    const up = index % 2 === 0;
    return [up ? price - 0.1 : price + 0.1, price + 0.5, price - 0.5, up ? price + 0.1 : price - 0.1];
  });
}

/** `count` candles each closing `step` lower (step < 0: higher) than it opened, range 1.0 at step 0.6. */
export function drift(count: number, start: number, step: number): Ohlc[] {
  const rows: Ohlc[] = [];
  let price = start;
  for (let index = 0; index < count; index += 1) {
    const close = price - step;
    rows.push([price, Math.max(price, close) + 0.2, Math.min(price, close) - 0.2, close]);
    price = close;
  }
  return rows;
}

/** Ten flat candles at 100, then eight falling 0.6 each: last close 95.2, average range 1.0, prior trend −3.6. */
export const afterDecline = (): Ohlc[] => [...flat(10), ...drift(8, 100, 0.6)];
/** Ten flat candles at 100, then eight rising 0.6 each: last close 104.8. */
export const afterAdvance = (): Ohlc[] => [...flat(10), ...drift(8, 100, -0.6)];
/** Eighteen flat candles at 100. */
export const afterFlat = (): Ohlc[] => flat(18);

/**
 * A price path through `waypoints`, moving `step` per candle; each candle opens at the previous
 * close and has a wick of 0.1 beyond its body. Range ≈ step + 0.2 on every candle.
 */
export function pathCandles(waypoints: readonly number[], step = 0.25): Candle[] {
  const closes: number[] = [waypoints[0]!];
  for (let k = 1; k < waypoints.length; k += 1) {
    const from = waypoints[k - 1]!;
    const to = waypoints[k]!;
    const steps = Math.max(1, Math.round(Math.abs(to - from) / step));
    for (let s = 1; s <= steps; s += 1) closes.push(from + ((to - from) * s) / steps);
  }
  const rows: Ohlc[] = closes.map((close, index) => {
    const open = index === 0 ? close : closes[index - 1]!;
    return [open, Math.max(open, close) + 0.1, Math.min(open, close) - 0.1, close];
  });
  return candlesOf(rows);
}

export function seriesOf(candles: Candle[], source: CandleSeries['source'] = 'file'): CandleSeries {
  return { symbol: 'TESTUSD', interval: '1h', timeframe: '30d', source, candles };
}

const require = createRequire(import.meta.url);

/** Real hourly candles from @typedtrader/candles (strings in the JSON; numbers here). */
export type TypedTraderSeries = (typeof TYPED_TRADER_SERIES)[number];
/** Every series @typedtrader/candles ships as JSON. */
export const TYPED_TRADER_SERIES = [
  'urth-2025-1h',
  'urth-2024-1h',
  'urth-2022-1h',
  'downtrend-msft',
  'sideways-pg',
  'uptrend-slv',
  'uptrend-stx',
  'downtrend',
  'sideways',
  'uptrend',
] as const;

export function typedTraderCandles(name: TypedTraderSeries): Candle[] {
  const file = require.resolve(`@typedtrader/candles/json/${name}.json`);
  const rows = JSON.parse(readFileSync(file, 'utf8')) as {
    openTimeInMillis: number;
    open: string;
    high: string;
    low: string;
    close: string;
    volume: string;
  }[];
  return rows.map((row) => ({
    time: row.openTimeInMillis,
    open: Number(row.open),
    high: Number(row.high),
    low: Number(row.low),
    close: Number(row.close),
    volume: Number(row.volume),
  }));
}

/**
 * A seeded random walk on a 0.1 tick grid, hourly: equal prices, gaps and shared body ends are
 * common, so it reaches the rare candlestick patterns no real series contains.
 */
export function tickGridWalk(count: number, seed: number): Candle[] {
  let state = seed;
  const random = () => ((state = (state * 16807) % 2147483647) - 1) / 2147483646;
  const tick = (value: number) => Math.round(value * 10) / 10;
  const candles: Candle[] = [];
  let close = 100;
  for (let index = 0; index < count; index += 1) {
    const open = tick(random() < 0.3 ? close + (random() - 0.5) * 2 : close);
    close = tick(open + (random() - 0.5) * (random() < 0.2 ? 3 : 1));
    const high = tick(Math.max(open, close) + (random() < 0.4 ? 0 : random() * 0.6));
    const low = tick(Math.min(open, close) - (random() < 0.4 ? 0 : random() * 0.6));
    candles.push({ time: index * HOUR, open, high, low, close, volume: 1000 });
  }
  return candles;
}
