/**
 * Before/after images of the chart for review: the same SVG through resvg (before) and drawn
 * onto the Skia canvas (after), at 168 and 1,000 synthetic candles, each written whole and as
 * a 3× nearest-neighbour zoom of the smallest text (title and legend, price axis, time axis,
 * pattern labels), resvg above, Skia below. `npx tsx bench/chartComparison.ts [dir]`, by
 * default into docs/chart-comparison/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Canvas, Image } from '@napi-rs/canvas';
import { analyzeSeries } from '../analysis/analyzeSeries.js';
import { renderChartSvg } from '../analysis/chart/renderChartSvg.js';
import { svgToPng } from '../integrations/chartRasterizer.js';
import { syntheticCandleSource } from '../integrations/marketData/syntheticCandleSource.js';
import { skiaSvgToPng } from '../integrations/skiaRasterizer.js';

const out = process.argv[2] ?? path.join(import.meta.dirname, '..', 'docs', 'chart-comparison');
mkdirSync(out, { recursive: true });
const ZOOM = 3;
/** Regions of the 1200×600 chart with the thinnest strokes and the smallest text. */
const REGIONS = [
  { x: 0, y: 0, width: 400, height: 56 },
  { x: 1060, y: 100, width: 140, height: 180 },
  { x: 0, y: 530, width: 400, height: 60 },
  { x: 820, y: 260, width: 300, height: 160 },
];

const imageOf = (png: Uint8Array) => {
  const image = new Image();
  image.src = Buffer.from(png);
  return image;
};

for (const { candles, timeframe } of [
  { candles: 168, timeframe: '7d' },
  { candles: 1000, timeframe: '1000h' },
]) {
  const series = await syntheticCandleSource.load({
    symbol: 'BENCHUSD',
    interval: '1h',
    timeframe,
    signal: new AbortController().signal,
  });
  const svg = renderChartSvg(series, analyzeSeries(series));
  const renders = { resvg: svgToPng(svg), skia: skiaSvgToPng(svg) };
  for (const [name, png] of Object.entries(renders)) writeFileSync(path.join(out, `${candles}-${name}.png`), png);
  for (const [k, region] of REGIONS.entries()) {
    const canvas = new Canvas(region.width * ZOOM, region.height * ZOOM * 2 + 4);
    const context = canvas.getContext('2d');
    context.imageSmoothingEnabled = false;
    context.fillStyle = '#000000';
    context.fillRect(0, 0, canvas.width, canvas.height);
    [renders.resvg, renders.skia].forEach((png, row) =>
      context.drawImage(
        imageOf(png),
        region.x,
        region.y,
        region.width,
        region.height,
        0,
        row * (region.height * ZOOM + 4),
        region.width * ZOOM,
        region.height * ZOOM,
      ),
    );
    writeFileSync(path.join(out, `${candles}-zoom-${k + 1}-resvg-above-skia.png`), canvas.encodeSync('png'));
  }
}
console.log(`written to ${out}`);
