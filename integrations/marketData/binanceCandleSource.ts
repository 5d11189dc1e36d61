/**
 * Binance REST klines: GET /api/v3/klines?symbol&interval&startTime&endTime&limit, at most
 * 1,000 a page, paged forward until the window is covered. Rows are [open time, open, high,
 * low, close, volume, close time, …] with prices as strings; the newest candle may still be
 * open (its close time is in the future) and is dropped. WARMUP_CANDLES more are fetched
 * before the window, for the indicators to converge on.
 * Failures: 429/418 (rate limit, ban) and 5xx, timeouts and network errors are retryable
 * (with Retry-After when given); an unknown symbol (400, code −1121) and other 4xx are permanent.
 */
import type { Candle } from '../../analysis/candles.js';
import { WARMUP_CANDLES } from '../../analysis/indicators/indicatorWarmup.js';
import { intervalMs } from '../../analysis/intervals.js';
import { PermanentFailure, RetryableFailure } from '../../storage/failures.js';
import type { CandleRequest, CandleSource } from './candleSource.js';
import { requestedCount, throwIfAborted } from './requestWindow.js';

export const BINANCE_PAGE_LIMIT = 1000;

export interface BinanceOptions {
  baseUrl: string;
  /** Per-request timeout; the job's signal still aborts earlier. */
  timeoutMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
}

export function createBinanceCandleSource(options: BinanceOptions): CandleSource {
  const { baseUrl, timeoutMs = 10_000, now = Date.now, fetch: fetchImpl = fetch } = options;
  const base = baseUrl.replace(/\/+$/, '');

  async function page(request: CandleRequest, startTime: number, endTime: number): Promise<unknown[]> {
    const url = `${base}/api/v3/klines?symbol=${encodeURIComponent(request.symbol)}&interval=${request.interval}&startTime=${startTime}&endTime=${endTime}&limit=${BINANCE_PAGE_LIMIT}`;
    const signal = AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]);
    let response: Response;
    try {
      response = await fetchImpl(url, { signal, headers: { accept: 'application/json' } });
    } catch (error) {
      throwIfAborted(request.signal);
      if (error instanceof DOMException && error.name === 'TimeoutError') {
        throw new RetryableFailure(
          `Binance did not answer within ${timeoutMs} ms for ${request.symbol} ${request.interval} (${base}); retrying later`,
          undefined,
          { cause: error },
        );
      }
      throw new RetryableFailure(
        `cannot reach Binance at ${base} for ${request.symbol}: ${(error as Error).message}; check BINANCE_BASE_URL and the network`,
        undefined,
        { cause: error },
      );
    }
    const text = await response.text().catch((error: unknown) => {
      throwIfAborted(request.signal);
      throw new RetryableFailure(
        `Binance response for ${request.symbol} was cut off: ${(error as Error).message}`,
        undefined,
        { cause: error },
      );
    });
    if (response.ok) {
      const body = parseJson(text);
      if (!Array.isArray(body))
        throw new RetryableFailure(
          `Binance answered ${request.symbol} klines with something that is not an array: ${text.slice(0, 120)}`,
        );
      return body as unknown[];
    }
    throw failureFor(response, text, request);
  }

  return {
    async load(request) {
      throwIfAborted(request.signal);
      const count = requestedCount(request);
      const step = intervalMs(request.interval);
      const endTime = now();
      // The last `count` closed candles: the one opening at floor(now) is still open.
      const startTime = Math.floor(endTime / step) * step - count * step;
      const candles: Candle[] = [];
      let cursor = startTime - WARMUP_CANDLES * step;
      while (cursor <= endTime) {
        const rows = await page(request, cursor, endTime);
        for (const [index, row] of rows.entries()) {
          const candle = parseRow(row, request.symbol, index);
          if (candle.closeTime >= endTime) continue; // still open
          if (candles.length === 0 || candle.candle.time > candles[candles.length - 1]!.time)
            candles.push(candle.candle);
        }
        if (rows.length < BINANCE_PAGE_LIMIT) break;
        const last = rows[rows.length - 1] as unknown[];
        const next = Number(last[0]) + 1;
        if (!(next > cursor)) break;
        cursor = next;
      }
      let first = candles.length;
      while (first > 0 && candles[first - 1]!.time >= startTime) first -= 1;
      const window = candles.slice(first).slice(-count);
      const warmup = candles.slice(Math.max(0, first - WARMUP_CANDLES), first);
      return {
        symbol: request.symbol,
        interval: request.interval,
        timeframe: request.timeframe,
        source: 'binance',
        sourceDetail: `${base}/api/v3/klines`,
        candles: window,
        warmup,
      };
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function failureFor(response: Response, text: string, request: CandleRequest): Error {
  const body = parseJson(text) as { code?: number; msg?: string } | undefined;
  const detail = body?.msg ? `${body.msg} (code ${body.code})` : text.slice(0, 200);
  if (response.status === 429 || response.status === 418) {
    const seconds = Number(response.headers.get('retry-after'));
    const retryAfterMs = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
    const what = response.status === 418 ? 'banned this IP for ignoring rate limits' : 'rate-limited us';
    return new RetryableFailure(
      `Binance ${what} (HTTP ${response.status}) loading ${request.symbol}; retry after ${retryAfterMs === undefined ? 'a backoff' : `${seconds} s`}`,
      retryAfterMs,
    );
  }
  if (response.status >= 500)
    return new RetryableFailure(
      `Binance failed with HTTP ${response.status} loading ${request.symbol} ${request.interval}: ${detail}; retrying later`,
    );
  if (body?.code === -1121)
    return new PermanentFailure(
      `Binance does not know the symbol ${request.symbol} (${detail}): check the spelling, e.g. BTCUSDT`,
    );
  return new PermanentFailure(
    `Binance refused ${request.symbol} ${request.interval} with HTTP ${response.status}: ${detail}`,
  );
}

/** Invalid candle data is permanent: retrying would only fetch the same rows again. */
function parseRow(row: unknown, symbol: string, index: number): { candle: Candle; closeTime: number } {
  if (!Array.isArray(row) || row.length < 7)
    throw new PermanentFailure(
      `Binance kline ${index} for ${symbol} is not a kline array: ${JSON.stringify(row).slice(0, 120)}`,
    );
  const [time, open, high, low, close, volume, closeTime] = row.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (![time, open, high, low, close, volume, closeTime].every(Number.isFinite))
    throw new PermanentFailure(
      `Binance kline ${index} for ${symbol} has a non-numeric field: ${JSON.stringify(row).slice(0, 120)}`,
    );
  return { candle: { time, open, high, low, close, volume }, closeTime };
}
