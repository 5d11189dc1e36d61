/** Readings of the latest indicator values, shared by analysis_data and the summaries. */
import type { LatestIndicators } from '../analyzeSeries.js';

export type RsiState = 'overbought' | 'oversold' | 'neutral';
export type MacdState = 'bullish' | 'bearish';
export type BandPosition = 'above upper band' | 'upper half' | 'lower half' | 'below lower band';

export const RSI_OVERBOUGHT = 70;
export const RSI_OVERSOLD = 30;

export function rsiState(rsi: number): RsiState {
  return rsi >= RSI_OVERBOUGHT ? 'overbought' : rsi <= RSI_OVERSOLD ? 'oversold' : 'neutral';
}

/** Bullish while the MACD line is above its signal line. */
export function macdState(macd: NonNullable<LatestIndicators['macd']>): MacdState {
  return macd.line >= macd.signal ? 'bullish' : 'bearish';
}

/** %B: 0 at the lower band, 1 at the upper band. */
export function percentB(close: number, bands: NonNullable<LatestIndicators['bollinger']>): number {
  const width = bands.upper - bands.lower;
  return width > 0 ? (close - bands.lower) / width : 0.5;
}

export function bandPosition(close: number, bands: NonNullable<LatestIndicators['bollinger']>): BandPosition {
  const b = percentB(close, bands);
  return b > 1 ? 'above upper band' : b >= 0.5 ? 'upper half' : b >= 0 ? 'lower half' : 'below lower band';
}

/** Eight significant digits: exact enough for any market, short enough for JSON. */
export function roundPrice(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(8)) : value;
}

export const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;
