/**
 * Candles from files under MARKET_DATA_DIR named SYMBOL-INTERVAL.csv or SYMBOL-INTERVAL.json.
 * The window ends at the file's last candle, so historical files work; it holds the candles
 * whose open time lies within `timeframe` of that last candle, and up to WARMUP_CANDLES
 * earlier ones come along as warm-up. Parsed files are cached by path and modification time.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Candle } from '../../analysis/candles.js';
import { WARMUP_CANDLES } from '../../analysis/indicators/indicatorWarmup.js';
import { durationMs, intervalMs } from '../../analysis/intervals.js';
import { PermanentFailure, RetryableFailure } from '../../storage/failures.js';
import type { CandleRequest, CandleSource } from './candleSource.js';
import { parseCsvCandles, parseJsonCandles } from './parseCandleFile.js';
import { requestedCount, throwIfAborted } from './requestWindow.js';

const SAFE_SYMBOL = /^[A-Za-z0-9]{1,20}$/;

export function createFileCandleSource(directory: string): CandleSource {
  const cache = new Map<string, { mtimeMs: number; candles: Candle[] }>();

  async function read(file: string): Promise<Candle[] | undefined> {
    let info;
    try {
      info = await stat(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new RetryableFailure(`cannot read ${file}: ${(error as Error).message}`, undefined, { cause: error });
    }
    const cached = cache.get(file);
    if (cached && cached.mtimeMs === info.mtimeMs) return cached.candles;
    const text = await readFile(file, 'utf8');
    const candles = file.endsWith('.csv') ? parseCsvCandles(text, file) : parseJsonCandles(text, file);
    cache.set(file, { mtimeMs: info.mtimeMs, candles });
    return candles;
  }

  async function missing(request: CandleRequest): Promise<PermanentFailure> {
    const base = path.resolve(directory, `${request.symbol}-${request.interval}`);
    const files = await readdir(directory).catch(() => [] as string[]);
    const intervals = files
      .filter((name) => name.startsWith(`${request.symbol}-`))
      .map((name) => name.slice(request.symbol.length + 1).replace(/\.(csv|json)$/, ''));
    const hint =
      intervals.length > 0
        ? `; ${request.symbol} is available for ${intervals.join(', ')}`
        : `; no file for ${request.symbol} at all`;
    return new PermanentFailure(
      `no candle file for ${request.symbol} ${request.interval}: looked for ${base}.csv and ${base}.json${hint} (add the file, or set MARKET_DATA_PROVIDER=binance or synthetic)`,
    );
  }

  return {
    async load(request) {
      throwIfAborted(request.signal);
      const count = requestedCount(request);
      if (!SAFE_SYMBOL.test(request.symbol))
        throw new PermanentFailure(`symbol ${JSON.stringify(request.symbol)} cannot name a candle file`);
      const base = path.join(directory, `${request.symbol}-${request.interval}`);
      let file = `${base}.csv`;
      let candles = await read(file);
      if (!candles) {
        file = `${base}.json`;
        candles = await read(file);
      }
      if (!candles) throw await missing(request);
      throwIfAborted(request.signal);
      const last = candles[candles.length - 1];
      const windowMs = durationMs(request.timeframe) ?? count * intervalMs(request.interval);
      const from = last ? last.time - windowMs + intervalMs(request.interval) : 0;
      let start = candles.length;
      while (start > 0 && candles[start - 1]!.time >= from) start -= 1;
      return {
        symbol: request.symbol,
        interval: request.interval,
        timeframe: request.timeframe,
        source: 'file',
        sourceDetail: path.resolve(file),
        candles: candles.slice(start),
        warmup: candles.slice(Math.max(0, start - WARMUP_CANDLES), start),
      };
    },
  };
}
