/** Simple version until issue #3 lands: the interface only; no LLM is wired yet. */
import type { Config } from '../../config/env.js';
import type { SummaryFacts } from '../../analysis/summary/summaryFacts.js';

export interface LlmSummarizer {
  summarize(facts: SummaryFacts, signal: AbortSignal): Promise<string>;
}

export function createLlmSummarizer(_config: Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL'>): LlmSummarizer | undefined {
  return undefined;
}
