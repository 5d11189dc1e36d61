/** The job services a worker process uses, as its configuration chooses them. */
import path from 'node:path';
import type { ExternalServices } from '../actors/jobServices.js';
import type { Config } from '../config/env.js';
import { createFileChartStore } from '../storage/charts/fileChartStore.js';
import { createLlmSummarizer } from '../integrations/llm/llmSummarizer.js';
import { createCandleSource } from '../integrations/marketData/createCandleSource.js';

export function jobServicesFromConfig(config: Config): ExternalServices {
  return {
    candles: createCandleSource(config),
    charts: createFileChartStore(path.join(config.DATA_DIR, 'charts')),
    llm: createLlmSummarizer(config),
  };
}
