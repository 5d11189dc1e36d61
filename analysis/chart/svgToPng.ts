/**
 * SVG → PNG through resvg with Inter from @expo-google-fonts/inter. resvg draws no text at all
 * without a font (LIBRARIES.md), so we never rely on system fonts: the TTF ships with our
 * dependencies and is found through module resolution, the same on every machine.
 */
import { createRequire } from 'node:module';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);

export const CHART_FONT_FAMILY = 'Inter';
export const CHART_FONT_FILES: readonly string[] = [
  require.resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf'),
  require.resolve('@expo-google-fonts/inter/600SemiBold/Inter_600SemiBold.ttf'),
];

const OPTIONS: ResvgRenderOptions = {
  font: { fontFiles: [...CHART_FONT_FILES], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
  shapeRendering: 2,
  textRendering: 1,
};

export function svgToPng(svg: string): Uint8Array {
  return new Resvg(svg, OPTIONS).render().asPng();
}
