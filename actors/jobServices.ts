/** What a job actor and its children need from the outside world, injected by the worker node. */
import type { CandleSource } from '../integrations/marketData/candleSource.js';
import type { ChartStore } from '../storage/charts/chartStore.js';
import type { LlmSummarizer } from '../integrations/llm/llmSummarizer.js';
import type { DependencyGate } from './dependencyGate.js';

export interface JobServices {
  candles: CandleSource;
  charts: ChartStore;
  llm: LlmSummarizer | undefined;
  /** The node's circuit breakers: consulted before the LLM, told every dependency outcome. */
  dependencies: DependencyGate;
}

/** The services a worker process builds from its configuration; the supervisor adds the gate. */
export type ExternalServices = Omit<JobServices, 'dependencies'>;
