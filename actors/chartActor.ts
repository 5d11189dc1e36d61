/**
 * Child of a job actor: runs the chart stage (the SVG, drawn in a stage thread when there are any, and stored; the PNG only
 * with a rasterizer, else the API draws it on first request) and answers the PNG's path.
 */
import type { AnalysisReport } from '../analysis/analyzeSeries.js';
import type { CandleSeries } from '../analysis/candles.js';
import { renderChart } from '../pipeline/renderChart.js';
import { chartPath } from '../storage/charts/chartPath.js';
import type { ExternalServices } from './jobServices.js';
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

async function chartOffThread(
  services: Pick<ExternalServices, 'charts' | 'stageThreads'>,
  message: ChartMessage,
): Promise<string> {
  const chart = await services.stageThreads!.chart(message.series, message.report, message.signal);
  message.signal.throwIfAborted();
  await services.charts.save(message.analysisId, chart);
  return chartPath({ analysisId: message.analysisId, format: 'png' });
}

export function spawnChartActor(
  parent: ActorParent,
  services: Pick<ExternalServices, 'charts' | 'rasterize' | 'stageThreads'>,
  replyTo: ActorRef<StageReply>,
): ActorRef<ChartMessage> {
  return spawnActor<null, ChartMessage>(parent, {
    name: 'chart',
    initialState: null,
    async receive(state, message, self) {
      let imageUrl: string;
      if (services.stageThreads) imageUrl = await chartOffThread(services, message);
      else {
        await yieldToEventLoop();
        imageUrl = await renderChart(
          services.charts,
          services.rasterize,
          message.analysisId,
          message.series,
          message.report,
          message.signal,
        );
      }
      send(replyTo, { type: 'chart.done', imageUrl });
      stopActor(self);
      return state;
    },
    onCrash: (error) => send(replyTo, { type: 'stage.failed', stage: 'chart', error }),
  });
}
