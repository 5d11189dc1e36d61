/**
 * GridFS charts expire with their analysis in MongoDB (ANALYSIS_HISTORY_TTL after it
 * finished): a TTL index on the files collection would delete entries and orphan their
 * chunks, and would not reach the chunks at all, so the retention sweeper deletes charts
 * uploaded longer ago than the TTL (a chart is uploaded just before its job ends), oldest
 * first, a bounded number per tick, through the bucket (entry and chunks).
 */
import type { ChartFileSweep } from './chartFileSweep.js';
import type { GridFsChartStore } from './gridFsChartStore.js';

export function createGridFsChartSweep(
  charts: Pick<GridFsChartStore, 'removeOlderThan'>,
  historyTtlSeconds: number,
): ChartFileSweep {
  return {
    async sweep(now, maxEntries) {
      if (historyTtlSeconds <= 0 || maxEntries <= 0) return { examined: 0, deleted: 0 };
      const deleted = await charts.removeOlderThan(new Date(now - historyTtlSeconds * 1000), maxEntries);
      // A full batch means more may be due: the sweeper ticks again at once.
      return { examined: deleted, deleted };
    },
    close: () => Promise.resolve(),
  };
}
