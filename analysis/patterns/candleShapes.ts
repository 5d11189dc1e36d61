/**
 * The measures TA-Lib's candlestick rules are written in, on a CandleContext by index.
 * Colour follows TA-Lib: a candle with close ≥ open is white (+1), so a flat doji is white.
 */
import type { CandleContext } from './candleContext.js';

export const realBody = (x: CandleContext, i: number): number => x.body[i]!;
export const highLow = (x: CandleContext, i: number): number => x.highLow[i]!;
export const bodyTop = (x: CandleContext, i: number): number => x.bodyTop[i]!;
export const bodyBottom = (x: CandleContext, i: number): number => x.bodyBottom[i]!;
export const upperShadow = (x: CandleContext, i: number): number => x.upperShadow[i]!;
export const lowerShadow = (x: CandleContext, i: number): number => x.lowerShadow[i]!;
export const color = (x: CandleContext, i: number): 1 | -1 => x.color[i] as 1 | -1;

/** Candle b's real body lies wholly above candle a's. */
export const realBodyGapUp = (x: CandleContext, b: number, a: number): boolean => bodyBottom(x, b) > bodyTop(x, a);
/** Candle b's real body lies wholly below candle a's. */
export const realBodyGapDown = (x: CandleContext, b: number, a: number): boolean => bodyTop(x, b) < bodyBottom(x, a);
/** Candle b's low is above candle a's high. */
export const candleGapUp = (x: CandleContext, b: number, a: number): boolean => x.low[b]! > x.high[a]!;
/** Candle b's high is below candle a's low. */
export const candleGapDown = (x: CandleContext, b: number, a: number): boolean => x.high[b]! < x.low[a]!;

/** A candle-setting threshold at candle j (see candleSettings). */
export const bodyLong = (x: CandleContext, j: number): number => x.threshold.bodyLong[j]!;
export const bodyVeryLong = (x: CandleContext, j: number): number => x.threshold.bodyVeryLong[j]!;
export const bodyShort = (x: CandleContext, j: number): number => x.threshold.bodyShort[j]!;
export const bodyDoji = (x: CandleContext, j: number): number => x.threshold.bodyDoji[j]!;
export const shadowLong = (x: CandleContext, j: number): number => x.threshold.shadowLong[j]!;
export const shadowVeryLong = (x: CandleContext, j: number): number => x.threshold.shadowVeryLong[j]!;
export const shadowShort = (x: CandleContext, j: number): number => x.threshold.shadowShort[j]!;
export const shadowVeryShort = (x: CandleContext, j: number): number => x.threshold.shadowVeryShort[j]!;
export const near = (x: CandleContext, j: number): number => x.threshold.near[j]!;
export const far = (x: CandleContext, j: number): number => x.threshold.far[j]!;
export const equal = (x: CandleContext, j: number): number => x.threshold.equal[j]!;
