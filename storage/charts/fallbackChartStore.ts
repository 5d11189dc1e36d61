/**
 * Two chart stores read as one: new charts go to the first (GridFS, with MongoDB), reads try
 * it and then the second (the file store), which still holds charts written before MongoDB
 * was configured and those of immediate analyses, whose threads write files.
 */
import type { ChartFormat, ChartStore, RenderedChart } from './chartStore.js';
import { openChart } from './openChart.js';

export function createFallbackChartStore(primary: ChartStore, fallback: ChartStore): ChartStore {
  return {
    save: (analysisId: string, chart: RenderedChart) => primary.save(analysisId, chart),
    // The PNG goes where its SVG is, so it expires with it.
    addPng: async (analysisId: string, png: Uint8Array) =>
      (await primary.addPng(analysisId, png)) || fallback.addPng(analysisId, png),
    async read(analysisId: string, format: ChartFormat) {
      return (await primary.read(analysisId, format)) ?? (await fallback.read(analysisId, format));
    },
    async open(analysisId: string, format: ChartFormat) {
      return (await openChart(primary, analysisId, format)) ?? (await openChart(fallback, analysisId, format));
    },
  };
}
