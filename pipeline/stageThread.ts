/**
 * The entry point of a stage thread: the CPU-heavy, synchronous stages of a job (patterns;
 * the chart's SVG) so they never stall a worker's event loop, where claim refreshes and
 * heartbeats must run on time; and, on an API node, a chart's PNG drawn on first request.
 * Skia is loaded only by a thread that draws a PNG: a worker's threads never do, and keep
 * its native memory.
 */
import { parentPort } from 'node:worker_threads';
import { analyzeSeries } from '../analysis/analyzeSeries.js';
import { renderChartSvg } from '../analysis/chart/renderChartSvg.js';
import type { SvgRasterizer } from '../analysis/chart/svgRasterizer.js';
import type { StageReply, StageRequest, StageResult } from './stageThreadMessages.js';

const port = parentPort!;
let rasterizer: Promise<SvgRasterizer> | undefined;
const rasterize = async (svg: string): Promise<Uint8Array> => {
  rasterizer ??= import('../integrations/skiaRasterizer.js').then((module) => module.skiaSvgToPng);
  return (await rasterizer)(svg);
};

async function run(request: StageRequest): Promise<StageResult> {
  switch (request.stage) {
    case 'patterns':
      return analyzeSeries(request.series);
    case 'chart':
      return { svg: renderChartSvg(request.series, request.report) };
    case 'png':
      return rasterize(request.svg);
  }
}

port.on('message', (request: StageRequest) => {
  run(request).then(
    (value) => port.postMessage({ taskId: request.taskId, ok: true, value } satisfies StageReply),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      port.postMessage({ taskId: request.taskId, ok: false, message } satisfies StageReply);
    },
  );
});
