/** A chart store that writes to one store and reads from it, then from a second: job charts first, then immediate ones. */
import type { ChartStore } from './chartStore.js';
import { openChart } from './openChart.js';

export function readThroughChartStore(primary: ChartStore, fallback: ChartStore): ChartStore {
  return {
    save: (analysisId, chart) => primary.save(analysisId, chart),
    // The PNG goes where its SVG is, so it expires with it.
    addPng: async (analysisId: string, png: Uint8Array) =>
      (await primary.addPng(analysisId, png)) || fallback.addPng(analysisId, png),
    async read(analysisId, format) {
      return (await primary.read(analysisId, format)) ?? fallback.read(analysisId, format);
    },
    async open(analysisId, format) {
      return (await openChart(primary, analysisId, format)) ?? openChart(fallback, analysisId, format);
    },
  };
}
