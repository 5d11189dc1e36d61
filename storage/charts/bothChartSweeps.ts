/**
 * With MongoDB, new job charts go to GridFS, but the files a deployment wrote before MongoDB was
 * configured stay readable in DATA_DIR/charts (the fallback store) and must still expire, by the
 * result TTL their jobs had. This sweeps both stores in one tick: a failing one (MongoDB down)
 * does not stop the other, and its error is raised once the other is done.
 */
import type { ChartFileSweep } from './chartFileSweep.js';

export function bothChartSweeps(first: ChartFileSweep, second: ChartFileSweep): ChartFileSweep {
  return {
    async sweep(now, maxEntries) {
      const [a, b] = await Promise.allSettled([first.sweep(now, maxEntries), second.sweep(now, maxEntries)]);
      if (a.status === 'rejected') throw a.reason;
      if (b.status === 'rejected') throw b.reason;
      // The fuller of the two decides whether the sweeper ticks again at once.
      return { examined: Math.max(a.value.examined, b.value.examined), deleted: a.value.deleted + b.value.deleted };
    },
    async close() {
      await Promise.all([first.close(), second.close()]);
    },
  };
}
