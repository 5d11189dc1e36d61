/** The messages that ask an LLM to rephrase the facts, and only the facts. */
import type { SummaryFacts } from './summaryFacts.js';

export interface SummaryPrompt {
  system: string;
  user: string;
}

export const SUMMARY_SYSTEM_PROMPT = [
  'You write short market-analysis summaries (at most 120 words, plain prose, no headings, no advice).',
  'Use only the facts in the JSON the user sends: do not add prices, levels, dates, indicators, news or predictions that are not in it.',
  'Quote numbers exactly as given. Name the key support and resistance levels and the patterns listed.',
  'State the data source. If "synthetic" is true, begin with "Synthetic data:" and say the candles are generated, not market prices.',
].join('\n');

export function buildSummaryPrompt(facts: SummaryFacts): SummaryPrompt {
  return { system: SUMMARY_SYSTEM_PROMPT, user: `Facts:\n${JSON.stringify(facts, null, 2)}` };
}
