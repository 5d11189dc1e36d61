/**
 * Market data for the chaos scenarios: CSV files for a few symbols (MARKET_DATA_PROVIDER=file),
 * so jobs are cheap, deterministic, and a symbol without a file fails permanently at once —
 * the scenarios' expected failures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { intervalMs } from '../../analysis/intervals.js';
import { generateSyntheticCandles } from '../../integrations/marketData/syntheticCandleSource.js';

export const CHAOS_SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'XRPUSDT'] as const;
export const CHAOS_INTERVAL = '15m';
/** 192 candles of 15 minutes a job. */
export const CHAOS_TIMEFRAME = '2d';
/** No file: every job for it fails permanently (unknown symbol). */
export const MISSING_SYMBOL = 'NODATA';

export function writeChaosMarketData(directory: string): void {
  mkdirSync(directory, { recursive: true });
  for (const symbol of CHAOS_SYMBOLS) {
    const candles = generateSyntheticCandles(`chaos-${symbol}`, 800, intervalMs(CHAOS_INTERVAL));
    const rows = candles.map((candle) =>
      [candle.time, candle.open, candle.high, candle.low, candle.close, candle.volume].join(','),
    );
    writeFileSync(
      path.join(directory, `${symbol}-${CHAOS_INTERVAL}.csv`),
      ['time,open,high,low,close,volume', ...rows].join('\n'),
    );
  }
}

/** The symbol of job number `index`: one in fifty has no market data. */
export function chaosSymbol(index: number): string {
  return index % 50 === 7 ? MISSING_SYMBOL : CHAOS_SYMBOLS[index % CHAOS_SYMBOLS.length]!;
}
