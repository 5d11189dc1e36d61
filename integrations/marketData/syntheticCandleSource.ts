/**
 * Synthetic candles for demos that need a symbol no file has. Deterministic: the same symbol,
 * interval and timeframe give the same candles (seeded by them, ending at a fixed date).
 * A random walk with drifting trend regimes and volatility clusters, volumes that rise with
 * the size of the move: plausible enough to exercise every stage. Always labelled `synthetic`.
 * WARMUP_CANDLES more are generated before the window, from the same seed, as its warm-up.
 */
import type { Candle } from '../../analysis/candles.js';
import { WARMUP_CANDLES } from '../../analysis/indicators/indicatorWarmup.js';
import { intervalMs } from '../../analysis/intervals.js';
import type { CandleSource } from './candleSource.js';
import { requestedCount, throwIfAborted } from './requestWindow.js';

/** Synthetic windows end here, so a seed always yields the same candles. */
export const SYNTHETIC_END = Date.UTC(2026, 0, 1);

export function seededRandom(seedText: string): () => number {
  let initial = 2166136261;
  for (const char of seedText) initial = Math.imul(initial ^ char.charCodeAt(0), 16777619) >>> 0;
  // A uint32 kept in a typed array wraps as `>>> 0` would, and is not boxed on every draw.
  const seed = Uint32Array.of(initial);
  return () => {
    seed[0] = seed[0]! + 0x6d2b79f5;
    let t = seed[0];
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal from two uniforms (Box–Muller). */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export function generateSyntheticCandles(
  seedText: string,
  count: number,
  stepMs: number,
  end = SYNTHETIC_END,
): Candle[] {
  const random = seededRandom(seedText);
  const last = Math.floor(end / stepMs) * stepMs - stepMs;
  const candles: Candle[] = [];
  // Per-candle volatility scaled to the interval: about 0.6% an hour, like a liquid large cap.
  const baseVolatility = 0.006 * Math.sqrt(stepMs / 3_600_000);
  const baseVolume = 1_000 + random() * 9_000;
  let close = 10 ** (1 + random() * 3); // 10 … 10,000
  let drift = 0;
  let volatility = baseVolatility;
  for (let index = 0; index < count; index += 1) {
    if (random() < 0.02) drift = (random() - 0.5) * baseVolatility * 0.6; // a new trend regime
    volatility = Math.max(
      baseVolatility * 0.3,
      volatility * 0.97 + baseVolatility * 0.03 + Math.abs(normal(random)) * baseVolatility * 0.05,
    );
    const open = close;
    const move = drift + normal(random) * volatility;
    close = Math.max(open * 0.5, open * Math.exp(move));
    const high = Math.max(open, close) * (1 + Math.abs(normal(random)) * volatility * 0.5);
    const low = Math.min(open, close) * (1 - Math.abs(normal(random)) * volatility * 0.5);
    const volume = baseVolume * (0.5 + random()) * (1 + (3 * Math.abs(move)) / baseVolatility);
    candles.push({ time: last - (count - 1 - index) * stepMs, open, high, low, close, volume: Math.round(volume) });
  }
  return candles;
}

export const syntheticCandleSource: CandleSource = {
  async load(request) {
    throwIfAborted(request.signal);
    const count = requestedCount(request);
    const seed = `${request.symbol}:${request.interval}:${request.timeframe}`;
    const candles = generateSyntheticCandles(seed, WARMUP_CANDLES + count, intervalMs(request.interval));
    return {
      symbol: request.symbol,
      interval: request.interval,
      timeframe: request.timeframe,
      source: 'synthetic',
      sourceDetail: `synthetic random walk seeded with "${seed}", ending ${new Date(SYNTHETIC_END).toISOString()}, with ${WARMUP_CANDLES} warm-up candles before the window; not market prices`,
      candles: candles.slice(WARMUP_CANDLES),
      warmup: candles.slice(0, WARMUP_CANDLES),
    };
  },
};
