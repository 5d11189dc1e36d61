/**
 * The one place the analysis services are chosen from configuration, for worker processes and API analysis threads alike.
 * No rasterizer: a job stores its SVG and the API draws the PNG on first request; immediate analyses add one.
 */
import path from 'node:path';
import type { Config } from '../config/env.js';
import { createLlmSummarizer } from '../integrations/llm/llmSummarizer.js';
import { createCandleSource } from '../integrations/marketData/createCandleSource.js';
import { createFileChartStore } from '../storage/charts/fileChartStore.js';
import type { PipelineServices } from './pipelineServices.js';

export function pipelineServicesFromConfig(config: Config): PipelineServices {
  return {
    candles: createCandleSource(config),
    charts: createFileChartStore(path.join(config.DATA_DIR, 'charts')),
    llm: createLlmSummarizer(config),
  };
}
