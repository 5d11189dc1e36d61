/**
 * The chart rasterizer: the chart's SVG drawn straight onto a Skia canvas (@napi-rs/canvas,
 * whose prebuilt binary comes as an optional dependency from the registry), with Inter from
 * @expo-google-fonts/inter, then encoded by our PNG encoder. Measured on the 1200×600
 * chart, this is 2–2.6× cheaper than SVG → resvg in the same run (a general SVG renderer in
 * WebAssembly, kept in chartRasterizer.ts as the reference the tests compare with), and
 * Skia's own PNG encoder (zlib level 6) cost more than drawing.
 *
 * Skia's SVG module was not used: it ignores `paint-order`, so the white halo covered
 * every label. Fonts are registered process-wide by Skia; the canvas is created per thread
 * on first use and reused: every chart has the same size, and a surface is 2.9 MB of native
 * memory. The pixel readback (`data()`, 2.9 MB too) is native memory that Node frees from the
 * event loop after a collection, so a synchronous loop of renders holds every one of them
 * until it yields; a worker yields between jobs, and its RSS stays flat.
 */
import { createRequire } from 'node:module';
import { Canvas, GlobalFonts, Path2D, type SKRSContext2D } from '@napi-rs/canvas';
import { CHART_FONT_FAMILY, type SvgRasterizer } from '../analysis/chart/svgRasterizer.js';
import { parseChartSvg, type ChartSvgElement } from './chartSvgElements.js';
import { encodePng } from './encodePng.js';

const require = createRequire(import.meta.url);

export const CHART_FONT_FILES: readonly string[] = [
  require.resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf'),
  require.resolve('@expo-google-fonts/inter/600SemiBold/Inter_600SemiBold.ttf'),
];

if (!GlobalFonts.has(CHART_FONT_FAMILY))
  for (const file of CHART_FONT_FILES)
    if (!GlobalFonts.registerFromPath(file, CHART_FONT_FAMILY)) throw new Error(`could not load the font ${file}`);

let surface: { canvas: Canvas; context: SKRSContext2D } | undefined;
function surfaceOf(width: number, height: number): SKRSContext2D {
  if (!surface || surface.canvas.width !== width || surface.canvas.height !== height) {
    const canvas = new Canvas(width, height);
    surface = { canvas, context: canvas.getContext('2d') };
  }
  return surface.context;
}

const number = (value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`chart SVG: ${value} is not a number`);
  return parsed;
};
const paint = (value: string | undefined, fallback: string): string | undefined =>
  (value ?? fallback) === 'none' ? undefined : (value ?? fallback);
const TEXT_ALIGN = { start: 'left', middle: 'center', end: 'right' } as const;

function outline(element: ChartSvgElement): Path2D {
  const { attrs } = element;
  switch (element.name) {
    case 'path':
      return new Path2D(attrs.d ?? '');
    case 'rect': {
      const path = new Path2D();
      path.rect(number(attrs.x, 0), number(attrs.y, 0), number(attrs.width, 0), number(attrs.height, 0));
      return path;
    }
    case 'line': {
      const path = new Path2D();
      path.moveTo(number(attrs.x1, 0), number(attrs.y1, 0));
      path.lineTo(number(attrs.x2, 0), number(attrs.y2, 0));
      return path;
    }
    case 'polyline': {
      const path = new Path2D();
      const coordinates = (attrs.points ?? '')
        .trim()
        .split(/[\s,]+/)
        .map(Number);
      for (let k = 0; k + 1 < coordinates.length; k += 2)
        if (k === 0) path.moveTo(coordinates[0]!, coordinates[1]!);
        else path.lineTo(coordinates[k]!, coordinates[k + 1]!);
      return path;
    }
    case 'circle': {
      const path = new Path2D();
      path.arc(number(attrs.cx, 0), number(attrs.cy, 0), number(attrs.r, 0), 0, 2 * Math.PI);
      return path;
    }
    case 'text':
      throw new Error('chart SVG: text has no outline');
  }
}

function setStroke(context: SKRSContext2D, attrs: Readonly<Record<string, string>>, color: string): void {
  context.strokeStyle = color;
  context.globalAlpha = number(attrs['stroke-opacity'], 1);
  context.lineWidth = number(attrs['stroke-width'], 1);
  context.lineJoin = attrs['stroke-linejoin'] === 'round' ? 'round' : 'miter';
  context.setLineDash(attrs['stroke-dasharray']?.split(/[\s,]+/).map(Number) ?? []);
}

function draw(context: SKRSContext2D, element: ChartSvgElement): void {
  const { attrs } = element;
  const fill = paint(attrs.fill, '#000000');
  const stroke = paint(attrs.stroke, 'none');
  if (element.name === 'text') {
    const size = number(attrs['font-size'], 16);
    context.font = `${attrs['font-weight'] ?? '400'} ${size}px ${attrs['font-family'] ?? CHART_FONT_FAMILY}`;
    context.textAlign = TEXT_ALIGN[(attrs['text-anchor'] ?? 'start') as keyof typeof TEXT_ALIGN] ?? 'left';
    const x = number(attrs.x, 0);
    const y = number(attrs.y, 0);
    // SVG paints fill then stroke unless paint-order says otherwise; the labels' halo is a stroke underneath.
    const strokeFirst = attrs['paint-order']?.startsWith('stroke') ?? false;
    if (stroke && strokeFirst) {
      setStroke(context, attrs, stroke);
      context.strokeText(element.text, x, y);
    }
    if (fill) {
      context.fillStyle = fill;
      context.globalAlpha = number(attrs['fill-opacity'], 1);
      context.fillText(element.text, x, y);
    }
    if (stroke && !strokeFirst) {
      setStroke(context, attrs, stroke);
      context.strokeText(element.text, x, y);
    }
    return;
  }
  const path = outline(element);
  // A line or polyline encloses nothing: SVG fills it with no pixels, whatever its fill.
  if (fill && element.name !== 'line' && element.name !== 'polyline') {
    context.fillStyle = fill;
    context.globalAlpha = number(attrs['fill-opacity'], 1);
    context.fill(path);
  }
  if (stroke) {
    setStroke(context, attrs, stroke);
    context.stroke(path);
  }
}

/** The chart drawn, as RGBA pixels (the thread's reused surface: valid until the next drawing); apart from encoding so the benchmark can time both. */
export function drawChartPixels(svg: string): { rgba: Uint8Array; width: number; height: number } {
  const chart = parseChartSvg(svg);
  const context = surfaceOf(chart.width, chart.height);
  context.globalAlpha = 1;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, chart.width, chart.height);
  context.textBaseline = 'alphabetic';
  context.lineCap = 'butt';
  for (const element of chart.elements) draw(context, element);
  return { rgba: surface!.canvas.data(), width: chart.width, height: chart.height };
}

export const skiaSvgToPng: SvgRasterizer = (svg) => {
  const { rgba, width, height } = drawChartPixels(svg);
  return encodePng(rgba, width, height);
};
