/** The candle count a request implies, or a PermanentFailure that says why there is none. */
import { candleCount, MAX_CANDLES } from '../../analysis/intervals.js';
import { PermanentFailure } from '../../storage/failures.js';
import type { CandleRequest } from './candleSource.js';

export function requestedCount(request: CandleRequest): number {
  const count = candleCount(request.interval, request.timeframe);
  if (count === undefined || count < 1) {
    throw new PermanentFailure(
      `timeframe ${request.timeframe} holds no ${request.interval} candle for ${request.symbol}: use a window like 7d that is at least one interval long`,
    );
  }
  if (count > MAX_CANDLES)
    throw new PermanentFailure(
      `${request.symbol} ${request.interval} over ${request.timeframe} is ${count} candles, more than ${MAX_CANDLES}: shorten the timeframe or use a longer interval`,
    );
  return count;
}

/** Rejects with the signal's reason if it is already aborted. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason ?? new Error('aborted');
}
