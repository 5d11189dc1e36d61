/**
 * Removes the charts of immediate analyses once their signed links have expired
 * (CHART_URL_TTL, and a minute's margin for clocks): no job record points to them, so they
 * could never be fetched again, and without this every immediate analysis would leave two
 * files in DATA_DIR for good. Sweeps at start and then a few times per TTL.
 */
import type { Logger } from '../../config/logger.js';
import { removeOldCharts } from '../../storage/charts/removeOldCharts.js';

export interface ChartReaperOptions {
  directory: string;
  /** How long a signed chart link lives (CHART_URL_TTL), in ms. */
  linkTtlMs: number;
  log: Logger;
  /** Sweep period; default a quarter of the lifetime, between 1 s and 10 min. */
  intervalMs?: number;
}

const MARGIN_MS = 60_000;

export function startImmediateChartReaper(options: ChartReaperOptions) {
  const maxAgeMs = options.linkTtlMs + MARGIN_MS;
  const intervalMs = options.intervalMs ?? Math.min(10 * 60_000, Math.max(1000, Math.floor(maxAgeMs / 4)));
  let sweeping: Promise<void> = Promise.resolve();
  const sweep = () => {
    sweeping = removeOldCharts(options.directory, maxAgeMs).then(
      (removed) => {
        if (removed > 0)
          options.log.debug({ removed, directory: options.directory }, 'removed expired immediate charts');
      },
      (error: unknown) => options.log.warn({ err: error }, 'could not remove expired immediate charts; will try again'),
    );
  };
  sweep();
  // Unref'd: the sweep never keeps a stopping API process alive.
  const timer = setInterval(sweep, intervalMs).unref();
  return {
    /** Stops sweeping; resolves once a sweep under way has ended. */
    async stop(): Promise<void> {
      clearInterval(timer);
      await sweeping;
    },
  };
}

export type ImmediateChartReaper = ReturnType<typeof startImmediateChartReaper>;
