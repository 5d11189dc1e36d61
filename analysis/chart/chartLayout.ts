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
    // Accumulated in locals, the bar built once: writes to an object's number fields cost more.
    let high = first.high;
    let low = first.low;
    let volume = 0;
    const end = Math.min(candles.length, start + bucket);
    for (let index = start; index < end; index += 1) {
      const candle = candles[index]!;
      if (candle.high > high) high = candle.high;
      if (candle.low < low) low = candle.low;
      volume += candle.volume;
    }
    const last = candles[end - 1]!;
    bars.push({ time: first.time, open: first.open, high, low, close: last.close, volume, lastIndex: end - 1 });
  }
  return { bars, bucket };
}

/** Escapes text for an SVG text node or attribute. */
export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char]!,
  );
}

/** Coordinates with one decimal: enough for a raster, half the bytes of full precision. */
export const px = (value: number): string => (Math.round(value * 10) / 10).toString();

/** A label's bounding box on the chart, in pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Inter at 10 px averages under 6 px a character; a generous estimate keeps boxes honest. */
export const LABEL_FONT_SIZE = 10;
export const labelWidth = (text: string): number => text.length * 6 + 4;
export const LABEL_HEIGHT = 13;

export const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * Places a label near (x, y): tries positions stepping away from the anchor, above first when
 * `above`, and takes the first inside the price panel that overlaps no obstacle (candles,
 * level lines, labels already placed). Falls back to the nearest position when all collide.
 */
export function placeLabel(x: number, y: number, text: string, above: boolean, obstacles: readonly Box[]): Box {
  const width = labelWidth(text);
  const candidates: Box[] = [];
  for (let step = 0; step < 12; step += 1) {
    for (const side of above ? [-1, 1] : [1, -1]) {
      const offset = 8 + step * (LABEL_HEIGHT + 2);
      const top = side < 0 ? y - offset - LABEL_HEIGHT : y + offset;
      for (const shift of [0, -width / 2, width / 2])
        candidates.push({ x: x - width / 2 + shift, y: top, width, height: LABEL_HEIGHT });
    }
  }
  const inside = (box: Box) =>
    box.y >= PLOT.priceTop &&
    box.y + box.height <= PLOT.priceBottom &&
    box.x >= PLOT.left &&
    box.x + box.width <= PLOT.right;
  return (
    candidates.find((box) => inside(box) && !obstacles.some((other) => overlaps(box, other))) ??
    candidates.find(inside) ??
    candidates[0]!
  );
}

/** A text label with a white halo, its box in a data attribute so tests can check placement. */
export function labelText(box: Box, text: string, color: string, className: string): string {
  const at = (value: number) => px(value);
  return `<text class="${className}" data-box="${at(box.x)} ${at(box.y)} ${at(box.width)} ${at(box.height)}" x="${at(box.x + box.width / 2)}" y="${at(box.y + box.height - 3)}" text-anchor="middle" font-size="${LABEL_FONT_SIZE}" fill="${color}" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">${escapeXml(text)}</text>`;
}
