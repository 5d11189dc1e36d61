/** Child of a job actor: renders the chart (SVG, then PNG) and stores both files. */
import type { AnalysisReport } from '../analysis/analyzeSeries.js';
import type { CandleSeries } from '../analysis/candles.js';
import { renderChartSvg } from '../analysis/chart/renderChartSvg.js';
import { svgToPng } from '../integrations/chartRasterizer.js';
import type { ChartStore } from '../storage/charts/chartStore.js';
import type { StageReply } from './stageReply.js';
import { type ActorParent, type ActorRef, send, spawnActor, stopActor } from './typedActor.js';
import { yieldToEventLoop } from './yieldToEventLoop.js';

export type ChartMessage = { type: 'chart.run'; analysisId: string; series: CandleSeries; report: AnalysisReport; signal: AbortSignal };

export function spawnChartActor(parent: ActorParent, charts: ChartStore, replyTo: ActorRef<StageReply>): ActorRef<ChartMessage> {
  return spawnActor<null, ChartMessage>(parent, {
    name: 'chart',
    initialState: null,
    async receive(state, message, self) {
      await yieldToEventLoop();
      message.signal.throwIfAborted();
      const svg = renderChartSvg(message.series, message.report);
      message.signal.throwIfAborted();
      const png = svgToPng(svg);
      message.signal.throwIfAborted();
      await charts.save(message.analysisId, { svg, png });
      send(replyTo, { type: 'chart.done', imageUrl: `/charts/${message.analysisId}.png` });
      stopActor(self);
      return state;
    },
    onCrash: (error) => send(replyTo, { type: 'stage.failed', stage: 'chart', error }),
  });
}
