/**
 * Geometry of the chart: panel positions, and the bars actually drawn. Past MAX_BARS
 * candles we draw aggregated bars (OHLC of each bucket, summed volume): 10,000 one-pixel
 * candles are neither readable nor cheap to rasterise.
 */
import type { Candle } from '../candles.js';

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 600;
export const MAX_BARS = 240;

export const PLOT = {
  left: 16,
  right: CHART_WIDTH - 76,
  titleBaseline: 26,
  legendBaseline: 46,
  priceTop: 60,
  priceBottom: 430,
  volumeTop: 444,
  volumeBottom: 552,
  timeBaseline: 574,
} as const;

/** One drawn bar: a candle, or several aggregated (time is the first one's open time). */
export interface Bar extends Candle {
  /** Index of the bar's last candle in the series: indicator values are read there. */
  lastIndex: number;
}

export interface Bars {
  bars: Bar[];
  /** Candles per bar (1 when not aggregated). */
  bucket: number;
}

export function toBars(candles: readonly Candle[], maxBars = MAX_BARS): Bars {
  const bucket = Math.max(1, Math.ceil(candles.length / maxBars));
  const bars: Bar[] = [];
  for (let start = 0; start < candles.length; start += bucket) {
    const first = candles[start]!;
    const bar: Bar = { time: first.time, open: first.open, high: first.high, low: first.low, close: first.close, volume: 0, lastIndex: start };
    const end = Math.min(candles.length, start + bucket);
    for (let index = start; index < end; index += 1) {
      const candle = candles[index]!;
      if (candle.high > bar.high) bar.high = candle.high;
      if (candle.low < bar.low) bar.low = candle.low;
      bar.volume += candle.volume;
      bar.close = candle.close;
      bar.lastIndex = index;
    }
    bars.push(bar);
  }
  return { bars, bucket };
}

/** Escapes text for an SVG text node or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char]!);
}

/** Coordinates with one decimal: enough for a raster, half the bytes of full precision. */
export const px = (value: number): string => (Math.round(value * 10) / 10).toString();
