/**
 * The reference rasterizer: SVG → PNG through resvg's WebAssembly build, a general SVG
 * renderer. The product draws its charts with skiaRasterizer.ts (2–2.6× cheaper);
 * this one stays for the tests and the benchmark, which compare the two pixel for pixel,
 * and for SVG that is not the chart's own. It renders with Inter from
 * @expo-google-fonts/inter. Importing this module loads the wasm and the fonts (once per
 * process or thread). resvg draws no text at all without a font it was given, and with
 * `loadSystemFonts: false` it looks at none of the host's, so the TTFs ship with our
 * dependencies and are found through module resolution.
 *
 * Why the wasm build and not @resvg/resvg-js: measured here, resvg-js 2.6.2 (and
 * 2.7.0-alpha.2) never releases a render's pixmap, about 3.2 MB of native memory per
 * 1200×600 chart (thx/resvg-js#216), so a worker grew without bound. The wasm build frees
 * each render explicitly and was faster too (12.8 vs 15.5 ms a render).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Resvg, initWasm, type ResvgRenderOptions } from '@resvg/resvg-wasm';
import { CHART_FONT_FAMILY, type SvgRasterizer } from '../analysis/chart/svgRasterizer.js';
import { encodePng } from './encodePng.js';

const require = createRequire(import.meta.url);

export const CHART_FONT_FILES: readonly string[] = [
  require.resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf'),
  require.resolve('@expo-google-fonts/inter/600SemiBold/Inter_600SemiBold.ttf'),
];

// The wasm module ships inside the npm package: nothing is fetched at run time.
await initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));

const FONT_BUFFERS = CHART_FONT_FILES.map((file) => new Uint8Array(readFileSync(file)));

// Measured on the 168-candle chart: crispEdges shapes (1) rasterise in half the time of
// geometricPrecision (2) and look the same on axis-aligned candles; text keeps anti-aliased
// geometricPrecision (2): optimizeSpeed (0) dropped thin glyph strokes such as '-'.
const OPTIONS: ResvgRenderOptions = {
  font: { fontBuffers: FONT_BUFFERS, loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
  shapeRendering: 1,
  textRendering: 2,
};

export const svgToPng: SvgRasterizer = (svg) => {
  const resvg = new Resvg(svg, OPTIONS);
  const image = resvg.render();
  try {
    return encodePng(image.pixels, image.width, image.height);
  } finally {
    image.free();
    resvg.free();
  }
};
