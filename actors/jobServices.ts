/** What a job actor and its children need from the outside world, injected by the worker node. */
import type { CandleSource } from '../storage/marketData/candleSource.js';
import type { ChartStore } from '../storage/charts/chartStore.js';
import type { LlmSummarizer } from '../storage/llm/llmSummarizer.js';

export interface JobServices {
  candles: CandleSource;
  charts: ChartStore;
  llm: LlmSummarizer | undefined;
}
