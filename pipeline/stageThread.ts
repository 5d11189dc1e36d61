/**
 * The entry point of a worker's stage thread: the CPU-heavy, synchronous stages of a job
 * (patterns; the chart's SVG and PNG), so they never stall the worker's event loop, where
 * claim refreshes and heartbeats must run on time.
 */
import { parentPort } from 'node:worker_threads';
import { analyzeSeries } from '../analysis/analyzeSeries.js';
import { renderChartSvg } from '../analysis/chart/renderChartSvg.js';
import { skiaSvgToPng } from '../integrations/skiaRasterizer.js';
import type { StageReply, StageRequest } from './stageThreadMessages.js';

const port = parentPort!;

port.on('message', (request: StageRequest) => {
  try {
    if (request.stage === 'patterns') {
      port.postMessage({ taskId: request.taskId, ok: true, value: analyzeSeries(request.series) } satisfies StageReply);
      return;
    }
    const svg = renderChartSvg(request.series, request.report);
    const png = skiaSvgToPng(svg);
    port.postMessage({ taskId: request.taskId, ok: true, value: { svg, png } } satisfies StageReply);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    port.postMessage({ taskId: request.taskId, ok: false, message } satisfies StageReply);
  }
});
