/** Child of a job actor: runs the chart stage (SVG, then PNG, both stored) and answers the chart's path. */
import type { AnalysisReport } from '../analysis/analyzeSeries.js';
import type { CandleSeries } from '../analysis/candles.js';
import { renderChart } from '../pipeline/renderChart.js';
import type { PipelineServices } from '../pipeline/pipelineServices.js';
import type { StageReply } from './stageReply.js';
import { type ActorParent, type ActorRef, send, spawnActor, stopActor } from './typedActor.js';
import { yieldToEventLoop } from './yieldToEventLoop.js';

export type ChartMessage = {
  type: 'chart.run';
  analysisId: string;
  series: CandleSeries;
  report: AnalysisReport;
  signal: AbortSignal;
};

export function spawnChartActor(
  parent: ActorParent,
  services: Pick<PipelineServices, 'charts' | 'rasterize'>,
  replyTo: ActorRef<StageReply>,
): ActorRef<ChartMessage> {
  return spawnActor<null, ChartMessage>(parent, {
    name: 'chart',
    initialState: null,
    async receive(state, message, self) {
      await yieldToEventLoop();
      const imageUrl = await renderChart(
        services.charts,
        services.rasterize,
        message.analysisId,
        message.series,
        message.report,
        message.signal,
      );
      send(replyTo, { type: 'chart.done', imageUrl });
      stopActor(self);
      return state;
    },
    onCrash: (error) => send(replyTo, { type: 'stage.failed', stage: 'chart', error }),
  });
}
