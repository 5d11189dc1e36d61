/** The binance source against a local server replaying Binance's documented klines format. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PermanentFailure, RetryableFailure } from '../../../storage/failures.js';
import { createBinanceCandleSource } from '../../../integrations/marketData/binanceCandleSource.js';
import { WARMUP_CANDLES } from '../../../analysis/indicators/indicatorWarmup.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2025, 5, 1, 12, 30); // mid-candle: the 12:00 candle is still open

type Handler = (url: URL, response: ServerResponse) => void;
let handler: Handler;
let server: Server;
let baseUrl: string;
const requests: URL[] = [];

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push(url);
    handler(url, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests.length = 0;
});

/** Klines as Binance sends them: strings for prices, close time = open time + interval − 1. */
function kline(openTime: number) {
  const price = 100 + ((openTime / HOUR) % 50);
  return [
    openTime,
    price.toFixed(2),
    (price + 1).toFixed(2),
    (price - 1).toFixed(2),
    (price + 0.5).toFixed(2),
    '12.5',
    openTime + HOUR - 1,
    '1250.0',
    42,
    '6.0',
    '600.0',
    '0',
  ];
}

/** Serves hourly klines from startTime up to NOW (including the open one), at most `limit`. */
const klinesHandler: Handler = (url, response) => {
  expect(url.pathname).toBe('/api/v3/klines');
  const start = Number(url.searchParams.get('startTime'));
  const end = Number(url.searchParams.get('endTime'));
  const limit = Number(url.searchParams.get('limit'));
  expect(limit).toBeLessThanOrEqual(1000);
  const rows = [];
  for (let time = Math.ceil(start / HOUR) * HOUR; time <= end && rows.length < limit; time += HOUR)
    rows.push(kline(time));
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rows));
};

const source = () => createBinanceCandleSource({ baseUrl, now: () => NOW, timeoutMs: 2_000 });
const signal = () => new AbortController().signal;

test('pages past 1,000 candles and drops the open last candle', async () => {
  handler = klinesHandler;
  const series = await source().load({ symbol: 'BTCUSDT', interval: '1h', timeframe: '100d', signal: signal() });
  expect(requests.length).toBe(3);
  expect(
    requests.every((url) => url.searchParams.get('symbol') === 'BTCUSDT' && url.searchParams.get('interval') === '1h'),
  ).toBe(true);
  expect(series.source).toBe('binance');
  expect(series.candles).toHaveLength(2400);
  expect(series.warmup).toHaveLength(WARMUP_CANDLES);
  expect(series.candles[0]!.time - series.warmup!.at(-1)!.time).toBe(HOUR);
  expect(series.candles.at(-1)!.time).toBe(Date.UTC(2025, 5, 1, 11)); // 12:00 is still open
  const gaps = series.candles.slice(1).filter((candle, index) => candle.time - series.candles[index]!.time !== HOUR);
  expect(gaps).toEqual([]);
  expect(series.candles[0]).toEqual(expect.objectContaining({ open: expect.any(Number), volume: 12.5 }));
});

test('429 with Retry-After is a retryable failure carrying the delay', async () => {
  handler = (_url, response) =>
    response
      .writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' })
      .end('{"code":-1003,"msg":"Too many requests."}');
  const failure = await source()
    .load({ symbol: 'BTCUSDT', interval: '1h', timeframe: '7d', signal: signal() })
    .catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(RetryableFailure);
  expect((failure as RetryableFailure).retryAfterMs).toBe(7000);
  expect((failure as Error).message).toMatch(/rate-limited.*BTCUSDT.*7 s/);
});

test('418 (IP ban) is retryable too', async () => {
  handler = (_url, response) =>
    response.writeHead(418, { 'retry-after': '120' }).end('{"code":-1003,"msg":"Way too many requests; IP banned."}');
  const failure = await source()
    .load({ symbol: 'BTCUSDT', interval: '1h', timeframe: '7d', signal: signal() })
    .catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(RetryableFailure);
  expect((failure as RetryableFailure).retryAfterMs).toBe(120_000);
});

test('an unknown symbol is a permanent failure naming it', async () => {
  handler = (_url, response) =>
    response.writeHead(400, { 'content-type': 'application/json' }).end('{"code":-1121,"msg":"Invalid symbol."}');
  const failure = await source()
    .load({ symbol: 'NOPEUSDT', interval: '1h', timeframe: '7d', signal: signal() })
    .catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(PermanentFailure);
  expect((failure as Error).message).toMatch(/does not know the symbol NOPEUSDT.*Invalid symbol/);
});

test('5xx is retryable', async () => {
  handler = (_url, response) => response.writeHead(503).end('upstream down');
  await expect(
    source().load({ symbol: 'BTCUSDT', interval: '1h', timeframe: '7d', signal: signal() }),
  ).rejects.toBeInstanceOf(RetryableFailure);
});

test('a server that never answers times out as a retryable failure', async () => {
  handler = () => undefined; // hold the request open
  const quick = createBinanceCandleSource({ baseUrl, now: () => NOW, timeoutMs: 150 });
  const failure = await quick
    .load({ symbol: 'BTCUSDT', interval: '1h', timeframe: '7d', signal: signal() })
    .catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(RetryableFailure);
  expect((failure as Error).message).toMatch(/did not answer within 150 ms/);
});

test("the job's signal aborts a request in flight with the signal's reason", async () => {
  handler = () => undefined;
  const controller = new AbortController();
  const loading = source().load({ symbol: 'BTCUSDT', interval: '1h', timeframe: '7d', signal: controller.signal });
  setTimeout(() => controller.abort(new Error('job cancelled')), 50);
  await expect(loading).rejects.toThrow('job cancelled');
});

test('an unreachable server is retryable', async () => {
  const closed = createBinanceCandleSource({ baseUrl: 'http://127.0.0.1:9', now: () => NOW, timeoutMs: 1_000 });
  await expect(
    closed.load({ symbol: 'BTCUSDT', interval: '1h', timeframe: '7d', signal: signal() }),
  ).rejects.toBeInstanceOf(RetryableFailure);
});

test('a malformed kline row is invalid candle data: a permanent failure naming the row', async () => {
  handler = (_url, response) =>
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify([kline(NOW - 3 * HOUR), [NOW - 2 * HOUR, 'abc', '1', '1', '1', '1', NOW - HOUR - 1]]));
  const failure = source().load({ symbol: 'BTCUSDT', interval: '1h', timeframe: '3h', signal: signal() });
  await expect(failure).rejects.toBeInstanceOf(PermanentFailure);
  await expect(failure).rejects.toThrow(/kline 1 for BTCUSDT has a non-numeric field/);
});
