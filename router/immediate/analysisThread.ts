/** The entry point of an analysis thread: the same candle source, chart store and summarizer a worker uses. */
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../config/env.js';
import { isPermanent } from '../../storage/failures.js';
import { createFileChartStore } from '../../storage/charts/fileChartStore.js';
import { createLlmSummarizer } from '../../integrations/llm/llmSummarizer.js';
import { createCandleSource } from '../../integrations/marketData/createCandleSource.js';
import { type ImmediateServices, runImmediateAnalysis } from './immediateAnalysis.js';
import type { ThreadReply, ThreadRequest } from './threadMessages.js';

const port = parentPort!;
const config = workerData as Config;
const services: ImmediateServices = {
  candles: createCandleSource(config),
  charts: createFileChartStore(path.join(config.DATA_DIR, 'charts')),
  llm: createLlmSummarizer(config),
};

port.on('message', ({ taskId, task }: ThreadRequest) => {
  runImmediateAnalysis(task, services, new AbortController().signal).then(
    (outcome) => port.postMessage({ taskId, ok: true, outcome } satisfies ThreadReply),
    (error: unknown) => port.postMessage({ taskId, ok: false, message: error instanceof Error ? error.message : String(error), permanent: isPermanent(error) } satisfies ThreadReply),
  );
});
