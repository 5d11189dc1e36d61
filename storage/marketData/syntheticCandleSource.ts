/** Simple version until issue #3 lands: a seeded random walk, always labelled `synthetic`. */
import type { Candle } from '../../analysis/candles.js';
import { candleCount, intervalMs } from '../../analysis/intervals.js';
import type { CandleSource } from './candleSource.js';

function seededRandom(seedText: string): () => number {
  let seed = 2166136261;
  for (const char of seedText) seed = Math.imul(seed ^ char.charCodeAt(0), 16777619) >>> 0;
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const syntheticCandleSource: CandleSource = {
  async load({ symbol, interval, timeframe }) {
    const count = candleCount(interval, timeframe) ?? 0;
    const step = intervalMs(interval);
    const end = Math.floor(Date.UTC(2026, 0, 1) / step) * step;
    const random = seededRandom(`${symbol}:${interval}:${timeframe}`);
    const candles: Candle[] = [];
    let close = 100 + random() * 900;
    for (let index = 0; index < count; index += 1) {
      const open = close;
      close = Math.max(1, open * (1 + (random() - 0.5) * 0.02));
      const high = Math.max(open, close) * (1 + random() * 0.005);
      const low = Math.min(open, close) * (1 - random() * 0.005);
      candles.push({ time: end - (count - index) * step, open, high, low, close, volume: 100 + random() * 1000 });
    }
    return { symbol, interval, timeframe, source: 'synthetic', candles };
  },
};
