/**
 * Reads back the SVG that analysis/chart writes, as a flat list of drawable elements with the
 * attributes they inherit from their groups resolved. Ours rather than an XML or SVG library:
 * the chart uses a small fixed subset (no transforms, no CSS, no nesting beyond `<g>`), and
 * drawing that subset straight onto a Skia canvas is several times cheaper than a general SVG
 * renderer. Anything outside the subset throws, so a new element or attribute in the chart
 * fails the rasterizer's tests instead of silently vanishing from the PNG.
 */

export type DrawableName = 'rect' | 'path' | 'line' | 'polyline' | 'circle' | 'text';

export interface ChartSvgElement {
  name: DrawableName;
  /** Own attributes over inherited presentation attributes. */
  attrs: Readonly<Record<string, string>>;
  /** Text content (entities decoded), for `<text>`. */
  text: string;
}

export interface ChartSvg {
  width: number;
  height: number;
  elements: ChartSvgElement[];
}

/** Presentation attributes a child takes from its `<g>` or `<svg>` ancestors. */
const INHERITED = new Set([
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linejoin',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'paint-order',
]);
/** Attributes that carry geometry or only identify the element: read, never inherited. */
const OWN = new Set(['x', 'y', 'x1', 'y1', 'x2', 'y2', 'width', 'height', 'd', 'points', 'cx', 'cy', 'r', 'class']);
const IGNORED = new Set(['xmlns', 'viewBox']);
const DRAWABLE = new Set<string>(['rect', 'path', 'line', 'polyline', 'circle', 'text']);

const TAG = /<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/g;
const ATTRIBUTE = /([\w:-]+)="([^"]*)"/g;
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

const decode = (text: string): string => text.replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => ENTITIES[name]!);

function attributesOf(source: string, tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const [, name, value] of source.matchAll(ATTRIBUTE)) {
    if (name!.startsWith('data-') || IGNORED.has(name!)) continue;
    if (!INHERITED.has(name!) && !OWN.has(name!))
      throw new Error(`chart SVG: attribute ${name} on <${tag}> is not drawn by the canvas rasterizer`);
    attrs[name!] = decode(value!);
  }
  return attrs;
}

const inheritable = (attrs: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(attrs).filter(([name]) => INHERITED.has(name)));

export function parseChartSvg(svg: string): ChartSvg {
  const elements: ChartSvgElement[] = [];
  const inherited: Record<string, string>[] = [];
  let width = 0;
  let height = 0;
  let openText: ChartSvgElement | undefined;
  let textStart = 0;
  for (const match of svg.matchAll(TAG)) {
    const [whole, closing, name, source, selfClosing] = match as unknown as [string, string, string, string, string];
    if (closing) {
      if (name === 'text' && openText) {
        openText.text = decode(svg.slice(textStart, match.index));
        openText = undefined;
      } else if (name === 'g' || name === 'svg') inherited.pop();
      continue;
    }
    if (name !== 'svg' && name !== 'g' && !DRAWABLE.has(name))
      throw new Error(`chart SVG: element <${name}> is not drawn by the canvas rasterizer`);
    const attrs = attributesOf(source, name);
    const scope = inherited[inherited.length - 1] ?? {};
    if (name === 'svg' || name === 'g') {
      if (name === 'svg') {
        width = Number(attrs.width);
        height = Number(attrs.height);
      }
      if (!selfClosing) inherited.push({ ...scope, ...inheritable(attrs) });
      continue;
    }
    const element: ChartSvgElement = { name: name as DrawableName, attrs: { ...scope, ...attrs }, text: '' };
    elements.push(element);
    if (name === 'text' && !selfClosing) {
      openText = element;
      textStart = match.index + whole.length;
    }
  }
  if (!(width > 0 && height > 0)) throw new Error('chart SVG: the <svg> element names no width and height');
  return { width, height, elements };
}
