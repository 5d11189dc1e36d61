/**
 * Stage threads that keep small series on the calling thread. Handing a stage to a thread
 * copies the series and the report across (structured clone, about 140 KB for a 168-candle
 * job, twice: patterns, then chart); measured in bench:pipeline, that cost a 168-candle job
 * about 15 ms of worker CPU against about 3 ms for the stages themselves, and halved a
 * worker's analyses/s. Below the limit the stages run inline (a few milliseconds on the event
 * loop, far inside any claim or heartbeat interval); longer series still go to the threads.
 */
import { analyzeSeries } from '../analysis/analyzeSeries.js';
import { renderChartSvg } from '../analysis/chart/renderChartSvg.js';
import type { StageThreads } from './stageThreads.js';

/** Scaled from bench:analysis (about 2.5 ms at 168 candles, 30 ms at 10,000 on a quiet core): under 10 ms inline. */
export const INLINE_STAGE_MAX_CANDLES = 1000;

export function inlineSmallStages(threads: StageThreads, maxCandles = INLINE_STAGE_MAX_CANDLES): StageThreads {
  const small = (candles: number) => candles <= maxCandles;
  return {
    async patterns(series, signal) {
      if (!small(series.candles.length)) return threads.patterns(series, signal);
      signal.throwIfAborted();
      return analyzeSeries(series);
    },
    async chart(series, report, signal) {
      if (!small(series.candles.length)) return threads.chart(series, report, signal);
      signal.throwIfAborted();
      return { svg: renderChartSvg(series, report) };
    },
    png: (svg, signal) => threads.png(svg, signal),
    close: () => threads.close(),
  };
}
