import { inflateSync } from 'node:zlib';
import { Worker } from 'node:worker_threads';
import { analyzeSeries } from '../../../analysis/analyzeSeries.js';
import { CHART_HEIGHT, CHART_WIDTH, renderChartSvg } from '../../../analysis/chart/renderChartSvg.js';
import { svgToPng } from '../../../integrations/chartRasterizer.js';
import { parseChartSvg } from '../../../integrations/chartSvgElements.js';
import { skiaSvgToPng } from '../../../integrations/skiaRasterizer.js';
import { seriesOf, typedTraderCandles } from './candleBuilders.js';

const candles = typedTraderCandles('urth-2025-1h');
const week = { ...seriesOf(candles.slice(-168)), symbol: 'URTH', timeframe: '30d' };
const svg = renderChartSvg(week, analyzeSeries(week), { showNeutral: true });
const blank = `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" font-family="Inter" font-size="11"><rect width="${CHART_WIDTH}" height="${CHART_HEIGHT}" fill="#ffffff"/></svg>`;

/** The RGBA rows of a PNG our encoder wrote (one IDAT, filter 0 on every row). */
function pixelsOf(png: Uint8Array): Buffer {
  const file = Buffer.from(png);
  const idat: Buffer[] = [];
  for (let offset = 8; offset < file.length;) {
    const length = file.readUInt32BE(offset);
    if (file.subarray(offset + 4, offset + 8).toString('ascii') === 'IDAT')
      idat.push(file.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const rows = inflateSync(Buffer.concat(idat));
  const width = file.readUInt32BE(16);
  const height = file.readUInt32BE(20);
  const pixels = Buffer.alloc(width * height * 4);
  for (let row = 0; row < height; row += 1)
    rows.copy(pixels, row * width * 4, row * (width * 4 + 1) + 1, (row + 1) * (width * 4 + 1));
  return pixels;
}

const meanDifference = (a: Buffer, b: Buffer): number => {
  let sum = 0;
  for (let k = 0; k < a.length; k += 1) sum += Math.abs(a[k]! - b[k]!);
  return sum / a.length;
};

const darkest = (pixels: Buffer): number => pixels.reduce((min, value) => Math.min(min, value), 255);

/** Pixels darker than mid-grey: ink, as opposed to background or anti-aliasing fringe. */
const inkIn = (pixels: Buffer): number => {
  let ink = 0;
  for (let k = 0; k < pixels.length; k += 4) if (pixels[k]! + pixels[k + 1]! + pixels[k + 2]! < 3 * 128) ink += 1;
  return ink;
};

describe('the Skia rasterizer', () => {
  const png = skiaSvgToPng(svg);

  test('gives a PNG of the chart size', () => {
    const file = Buffer.from(png);
    expect(file.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([file.readUInt32BE(16), file.readUInt32BE(20)]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
  });

  test('draws what resvg, a general SVG renderer, draws (pixel for pixel, within anti-aliasing)', () => {
    const reference = pixelsOf(svgToPng(svg));
    const ours = pixelsOf(png);
    // A missing layer, label or halo moves this far above 3: the labels alone are about 0.3.
    expect(meanDifference(reference, ours)).toBeLessThan(3);
    const withoutLabels = pixelsOf(skiaSvgToPng(svg.replace(/<g class="labels">.*?<\/g>/s, '<g class="labels"></g>')));
    expect(meanDifference(ours, withoutLabels)).toBeGreaterThan(0);
  });

  test('draws thin glyphs: a lone grey "-" at the axis text size stays as dark as resvg draws it', () => {
    for (const y of ['100', '100.5']) {
      const dash = blank.replace('</svg>', `<text x="100" y="${y}" fill="#6b7280">-</text></svg>`);
      // resvg's darkest pixel of this hyphen is 144 (181 on a half-pixel baseline); the glyph's own grey is 107.
      expect(darkest(pixelsOf(skiaSvgToPng(dash)))).toBeLessThanOrEqual(
        Math.min(144, darkest(pixelsOf(svgToPng(dash)))),
      );
    }
    expect(darkest(pixelsOf(skiaSvgToPng(blank)))).toBe(255);
  });

  test('a label halo is painted under its text, as paint-order asks', () => {
    const label =
      '<text x="100" y="100" font-size="10" fill="#dc2626" stroke="#ffffff" stroke-width="3" paint-order="stroke">double top</text>';
    expect(inkIn(pixelsOf(skiaSvgToPng(blank.replace('</svg>', `${label}</svg>`))))).toBeGreaterThan(20);
  });

  test('refuses SVG it would not draw, instead of dropping it from the image', () => {
    expect(() => skiaSvgToPng(blank.replace('</svg>', '<ellipse cx="1" cy="1" rx="2" ry="2"/></svg>'))).toThrow(
      /element <ellipse>/,
    );
    expect(() => skiaSvgToPng(blank.replace('<rect ', '<rect transform="scale(2)" '))).toThrow(/attribute transform/);
  });

  test('renders in a worker thread as in the main thread', async () => {
    const url = new URL('../../../integrations/skiaRasterizer.ts', import.meta.url).href;
    const code = `const { parentPort, workerData } = require('node:worker_threads');
      import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); })
        .then(({ skiaSvgToPng }) => parentPort.postMessage(skiaSvgToPng(workerData)));`;
    const worker = new Worker(code, { eval: true, workerData: svg });
    const fromWorker = await new Promise<Uint8Array>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(Buffer.from(fromWorker).equals(Buffer.from(png))).toBe(true);
  });
});

describe('reading the chart SVG back', () => {
  test('children inherit their group presentation attributes and keep their own', () => {
    const chart = parseChartSvg(
      '<svg width="10" height="5" font-size="11"><g class="a" fill="#111" stroke="#222"><path d="M0 0h1" fill="#333"/><text x="1" y="2">a &lt; b &amp; c</text></g><line x1="0" x2="1" y1="0" y2="0" stroke="#444"/></svg>',
    );
    expect(chart).toMatchObject({ width: 10, height: 5 });
    expect(chart.elements.map((element) => [element.name, element.attrs.fill, element.attrs.stroke])).toEqual([
      ['path', '#333', '#222'],
      ['text', '#111', '#222'],
      ['line', undefined, '#444'],
    ]);
    expect(chart.elements[1]).toMatchObject({ text: 'a < b & c', attrs: { 'font-size': '11' } });
  });

  test('every chart variant reads back without an element or attribute the canvas would drop', () => {
    const short = { ...week, warmup: candles.slice(-450, -400) };
    const year = { ...seriesOf(candles), symbol: 'URTH' };
    for (const series of [week, short, year, { ...week, candles: [] }])
      expect(
        parseChartSvg(renderChartSvg(series, analyzeSeries(series), { showNeutral: true })).elements.length,
      ).toBeGreaterThan(3);
  });
});
