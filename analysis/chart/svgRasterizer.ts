/**
 * The seam between the chart (pure: an SVG string) and its raster image. Turning SVG into
 * PNG needs a wasm module, font files and zlib, all loaded from disk, so analysis/ only
 * names the operation; the implementation is handed in by whoever runs the chart stage.
 */

/** SVG markup in, PNG file bytes out; synchronous, as the chart stage calls it per job. */
export type SvgRasterizer = (svg: string) => Uint8Array;

/** The family the chart's `<text>` asks for; a rasterizer must supply a font of this name. */
export const CHART_FONT_FAMILY = 'Inter';
