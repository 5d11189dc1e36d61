/**
 * The entry point of an analysis thread: the services a worker uses, built by the same
 * function, and an LLM circuit breaker of the thread's own on the worker's settings.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../config/env.js';
import { createLogger } from '../../config/logger.js';
import { circuitSettingsFromConfig } from '../../pipeline/circuitBreaker.js';
import { createBreakerGate } from '../../pipeline/llmGate.js';
import { pipelineServicesFromConfig } from '../../pipeline/pipelineServicesFromConfig.js';
import { immediateChartDirectory } from '../../storage/charts/chartDirectories.js';
import { createFileChartStore } from '../../storage/charts/fileChartStore.js';
import { isPermanent } from '../../storage/failures.js';
import { skiaSvgToPng } from '../../integrations/skiaRasterizer.js';
import { type ImmediateServices, runImmediateAnalysis } from './immediateAnalysis.js';
import type { ThreadReply, ThreadRequest } from './threadMessages.js';

const port = parentPort!;
const config = workerData as Config;
const log = createLogger('candela-analysis-thread', config.LOG_LEVEL);
const llmGate = createBreakerGate(circuitSettingsFromConfig(config), Date.now, (change) => {
  const context = { dependency: 'llm', ...change };
  if (change.to === 'open') log.warn(context, 'circuit breaker for llm opened');
  else log.info(context, `circuit breaker for llm is ${change.to}`);
});
// Immediate charts go where the API's reaper removes them once their links expire. Their PNG
// is drawn here, at once: a PNG drawn later on request would be saved with the job charts,
// where the reaper does not look.
const services: ImmediateServices = {
  ...pipelineServicesFromConfig(config),
  charts: createFileChartStore(immediateChartDirectory(config.DATA_DIR)),
  rasterize: skiaSvgToPng,
  llmGate,
  log,
};

port.on('message', ({ taskId, task }: ThreadRequest) => {
  runImmediateAnalysis(task, services, new AbortController().signal).then(
    (outcome) => port.postMessage({ taskId, ok: true, outcome } satisfies ThreadReply),
    (error: unknown) =>
      port.postMessage({
        taskId,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
        permanent: isPermanent(error),
      } satisfies ThreadReply),
  );
});
