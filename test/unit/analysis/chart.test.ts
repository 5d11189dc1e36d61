import { Resvg } from '@resvg/resvg-wasm';
import { analyzeSeries } from '../../../analysis/analyzeSeries.js';
import { CHART_HEIGHT, CHART_WIDTH, renderChartSvg } from '../../../analysis/chart/renderChartSvg.js';
import { svgToPng } from '../../../integrations/chartRasterizer.js';
import { seriesOf, typedTraderCandles } from './candleBuilders.js';

const week = { ...seriesOf(typedTraderCandles('urth-2025-1h').slice(-168)), symbol: 'URTH', timeframe: '30d' };
const report = analyzeSeries(week);
const svg = renderChartSvg(week, report);

/** Every opened tag is closed in order: the string is well-formed XML as far as tags go. */
function expectBalancedTags(markup: string) {
  const stack: string[] = [];
  for (const match of markup.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    if (selfClosing) continue;
    if (closing) expect(stack.pop()).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
}

const pngSize = (png: Uint8Array) => {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return {
    signature: Buffer.from(png.subarray(1, 4)).toString('ascii'),
    width: view.getUint32(16),
    height: view.getUint32(20),
  };
};

describe('SVG', () => {
  test('parses and has the chart size', () => {
    expectBalancedTags(svg);
    const parsed = new Resvg(svg); // the wasm module was initialised by importing svgToPng
    expect(parsed.width).toBe(CHART_WIDTH);
    expect(parsed.height).toBe(CHART_HEIGHT);
    parsed.free();
  });

  test('contains candles, volume, overlays, levels and markers', () => {
    for (const layer of ['candles', 'volume', 'bollinger', 'moving-averages', 'levels', 'markers', 'axes', 'title'])
      expect(svg).toContain(`<g class="${layer}">`);
    expect(svg).toMatch(/class="bodies-up" d="M[\d.]+ [\d.]+h/);
    expect(svg).toMatch(/class="volume-down" d="M/);
    expect(svg).toMatch(/class="sma-fast" d="M/);
    expect(svg).toMatch(/class="bollinger-upper" d="M/);
    expect(svg.match(/<line class="level-(support|resistance)"/g)?.length).toBeGreaterThan(0);
    expect(svg).toMatch(/class="marker-(bullish|bearish|neutral)" data-pattern="[a-z_]+"/);
  });

  test('the title names symbol, interval, window and source', () => {
    expect(svg).toContain('URTH · 1h · 30d · 2025-11-21 18:00 → 2025-12-31 20:00 UTC · 168 candles');
    expect(svg).toContain('source: file');
    const synthetic = { ...week, source: 'synthetic' as const };
    expect(renderChartSvg(synthetic, report)).toContain('SYNTHETIC DATA — not market prices');
  });

  test('large series are drawn as aggregated bars and say so', () => {
    const year = { ...seriesOf(typedTraderCandles('urth-2025-1h')), symbol: 'URTH' };
    const big = renderChartSvg(year, analyzeSeries(year));
    expect(big).toContain('7 candles per bar');
    expectBalancedTags(big);
  });

  test('an empty series still renders', () => {
    const empty = { ...week, candles: [] };
    const markup = renderChartSvg(empty, analyzeSeries(empty));
    expect(markup).toContain('no candles');
    expectBalancedTags(markup);
  });
});

describe('PNG', () => {
  const png = svgToPng(svg);

  test('is a PNG of the chart dimensions', () => {
    expect(pngSize(png)).toEqual({ signature: 'PNG', width: CHART_WIDTH, height: CHART_HEIGHT });
  });

  test('draws the text (fails when the font is missing, since resvg then drops every <text>)', () => {
    const withoutText = svgToPng(svg.replace(/<text\b[^>]*>[^<]*<\/text>/g, ''));
    expect(Buffer.from(png).equals(Buffer.from(withoutText))).toBe(false);
    // The title alone, on a blank canvas: only glyphs can make these two images differ.
    const blank = `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}"><rect width="100%" height="100%" fill="#fff"/></svg>`;
    const titled = blank.replace('</svg>', '<text x="16" y="26" font-size="16">URTH 1h</text></svg>');
    expect(Buffer.from(svgToPng(titled)).equals(Buffer.from(svgToPng(blank)))).toBe(false);
  });
});

describe('encodePng', () => {
  test('round-trips through zlib: the IDAT holds the rows, each led by filter 0', async () => {
    const { encodePng } = await import('../../../integrations/encodePng.js');
    const { inflateSync, crc32 } = await import('node:zlib');
    const pixels = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]);
    const png = Buffer.from(encodePng(pixels, 2, 2));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT');
    const rows = inflateSync(png.subarray(41, 41 + idatLength));
    expect([...rows]).toEqual([0, ...pixels.subarray(0, 8), 0, ...pixels.subarray(8)]);
    expect(png.readUInt32BE(41 + idatLength)).toBe(crc32(png.subarray(37, 41 + idatLength)) >>> 0);
    expect(() => encodePng(pixels, 3, 2)).toThrow(/expected 24 bytes/);
  });
});
