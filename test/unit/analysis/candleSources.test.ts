import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PermanentFailure } from '../../../storage/failures.js';
import { createCandleSource } from '../../../integrations/marketData/createCandleSource.js';
import { createFileCandleSource } from '../../../integrations/marketData/fileCandleSource.js';
import { syntheticCandleSource } from '../../../integrations/marketData/syntheticCandleSource.js';
import { WARMUP_CANDLES } from '../../../analysis/indicators/indicatorWarmup.js';
import { typedTraderCandles } from './candleBuilders.js';

const signal = new AbortController().signal;
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'candela-candles-'));
  // The real URTH 2025 hourly candles, converted: CSV with ISO times, JSON with epoch ms.
  const urth = typedTraderCandles('urth-2025-1h');
  const csv = [
    'time,open,high,low,close,volume',
    ...urth.map((c) => [new Date(c.time).toISOString(), c.open, c.high, c.low, c.close, c.volume].join(',')),
  ].join('\n');
  await writeFile(path.join(directory, 'URTH-1h.csv'), `${csv}\n`);
  await writeFile(
    path.join(directory, 'URTH-1d.json'),
    JSON.stringify(urth.slice(0, 30).map((c, index) => ({ ...c, time: Date.UTC(2025, 0, 1) + index * 86_400_000 }))),
  );
  await writeFile(
    path.join(directory, 'BAD-1h.csv'),
    'time,open,high,low,close,volume\n2025-01-01T00:00:00Z,1,2,0.5,1.5,10\n2025-01-01T01:00:00Z,1,2,0.5,abc,10\n',
  );
  await writeFile(
    path.join(directory, 'BADJSON-1h.json'),
    JSON.stringify([
      { time: 1, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 },
      { time: 2, open: 1, high: 0.9, low: 0.5, close: 1.5, volume: 3 },
    ]),
  );
});
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('file source', () => {
  test('reads SYMBOL-INTERVAL.csv; the window ends at the last candle', async () => {
    const series = await createFileCandleSource(directory).load({
      symbol: 'URTH',
      interval: '1h',
      timeframe: '7d',
      signal,
    });
    expect(series.source).toBe('file');
    expect(series.sourceDetail).toBe(path.resolve(directory, 'URTH-1h.csv'));
    expect(new Date(series.candles.at(-1)!.time).toISOString()).toBe('2025-12-31T20:00:00.000Z');
    // Market hours: a week of hourly bars is far fewer than 168, and all within 7 days of the end.
    expect(series.candles.length).toBeGreaterThan(20);
    expect(series.candles.length).toBeLessThan(60);
    expect(series.candles.at(-1)!.time - series.candles[0]!.time).toBeLessThan(7 * 86_400_000);
    expect(series.candles.at(-1)!.close).toBe(185.715);
    // The WARMUP_CANDLES before the window come along, ending just before it.
    expect(series.warmup).toHaveLength(WARMUP_CANDLES);
    expect(series.warmup!.at(-1)!.time).toBeLessThan(series.candles[0]!.time);
    const all = typedTraderCandles('urth-2025-1h');
    expect(all.indexOf(all.find((candle) => candle.time === series.warmup!.at(-1)!.time)!) + 1).toBe(
      all.findIndex((candle) => candle.time === series.candles[0]!.time),
    );
  });

  test('a window at the start of the file has only the history there is as warm-up', async () => {
    const series = await createFileCandleSource(directory).load({
      symbol: 'URTH',
      interval: '1d',
      timeframe: '10d',
      signal,
    });
    expect(series.warmup).toHaveLength(20);
  });

  test('reads SYMBOL-INTERVAL.json', async () => {
    const series = await createFileCandleSource(directory).load({
      symbol: 'URTH',
      interval: '1d',
      timeframe: '10d',
      signal,
    });
    expect(series.candles).toHaveLength(10);
  });

  test('a missing symbol or interval is a permanent failure that says what exists', async () => {
    const source = createFileCandleSource(directory);
    await expect(source.load({ symbol: 'URTH', interval: '4h', timeframe: '7d', signal })).rejects.toThrow(
      /no candle file for URTH 4h.*URTH-4h\.csv.*available for (1h, 1d|1d, 1h)/,
    );
    await expect(source.load({ symbol: 'NOPE', interval: '1h', timeframe: '7d', signal })).rejects.toBeInstanceOf(
      PermanentFailure,
    );
  });

  test('a malformed row names its file and line', async () => {
    const source = createFileCandleSource(directory);
    await expect(source.load({ symbol: 'BAD', interval: '1h', timeframe: '7d', signal })).rejects.toThrow(
      /BAD-1h\.csv line 3: close "abc" is not a non-negative number/,
    );
    await expect(source.load({ symbol: 'BADJSON', interval: '1h', timeframe: '7d', signal })).rejects.toThrow(
      /BADJSON-1h\.json entry 1 \(0-based\): high 0\.9/,
    );
  });
});

describe('synthetic source', () => {
  test('is deterministic per symbol, interval and window, and says it is synthetic', async () => {
    const request = { symbol: 'DEMOUSD', interval: '1h' as const, timeframe: '7d', signal };
    const a = await syntheticCandleSource.load(request);
    const b = await syntheticCandleSource.load(request);
    expect(a.candles).toHaveLength(168);
    expect(a.candles).toEqual(b.candles);
    expect(a.warmup).toHaveLength(WARMUP_CANDLES);
    expect(a.warmup).toEqual(b.warmup);
    expect(a.candles[0]!.time - a.warmup!.at(-1)!.time).toBe(3_600_000);
    expect(a.sourceDetail).toMatch(/synthetic.*warm-up/);
    expect(a.source).toBe('synthetic');
    expect(a.sourceDetail).toMatch(/not market prices/);
    const other = await syntheticCandleSource.load({ ...request, symbol: 'OTHERUSD' });
    expect(other.candles[0]!.close).not.toBe(a.candles[0]!.close);
  });

  test('candles are plausible', async () => {
    const { candles } = await syntheticCandleSource.load({
      symbol: 'DEMOUSD',
      interval: '1h',
      timeframe: '1y',
      signal,
    });
    const bad = candles.filter((candle, index) => {
      const previous = candles[index - 1];
      return (
        candle.high < Math.max(candle.open, candle.close) ||
        candle.low > Math.min(candle.open, candle.close) ||
        !(candle.volume > 0) ||
        (previous && candle.time - previous.time !== 3_600_000)
      );
    });
    expect(bad).toEqual([]);
    const moves = candles.slice(1).map((candle, index) => Math.abs(Math.log(candle.close / candles[index]!.close)));
    expect(Math.max(...moves)).toBeLessThan(0.1);
  });
});

test('createCandleSource picks the provider', async () => {
  const config = { MARKET_DATA_DIR: directory, BINANCE_BASE_URL: 'http://127.0.0.1:9' };
  expect(createCandleSource({ ...config, MARKET_DATA_PROVIDER: 'synthetic' })).toBe(syntheticCandleSource);
  const file = await createCandleSource({ ...config, MARKET_DATA_PROVIDER: 'file' }).load({
    symbol: 'URTH',
    interval: '1d',
    timeframe: '5d',
    signal,
  });
  expect(file.source).toBe('file');
  expect(typeof createCandleSource({ ...config, MARKET_DATA_PROVIDER: 'binance' }).load).toBe('function');
});
