/**
 * Stage 4: the summary. The LLM rephrases the facts when one is configured and its gate lets
 * the call through; when none is, the gate is closed to it, or the call fails, the rule-based
 * writer does, and `source` says which. A failure is logged with the job's id and reported to
 * the gate; an aborted call rejects with the abort (the job is over, and it is not the LLM's fault).
 */
import type { AnalysisReport } from '../analysis/analyzeSeries.js';
import type { CandleSeries } from '../analysis/candles.js';
import { buildSummaryFacts } from '../analysis/summary/summaryFacts.js';
import { writeRuleBasedSummary } from '../analysis/summary/writeRuleBasedSummary.js';
import type { Logger } from '../config/logger.js';
import type { LlmSummarizer } from '../integrations/llm/llmSummarizer.js';
import type { SummarySource } from '../storage/jobRecord.js';
import type { LlmGate } from './llmGate.js';

export interface SummaryServices {
  llm: LlmSummarizer | undefined;
  gate: LlmGate;
  log: Logger;
}

export interface Summary {
  text: string;
  source: SummarySource;
}

export async function writeSummary(
  analysisId: string,
  series: CandleSeries,
  report: AnalysisReport,
  services: SummaryServices,
  signal: AbortSignal,
): Promise<Summary> {
  const facts = buildSummaryFacts(series, report);
  const { llm, gate, log } = services;
  if (llm && (await gate.permit())) {
    try {
      const text = await llm.summarize(facts, signal);
      gate.report(true);
      return { text, source: 'llm' };
    } catch (error) {
      signal.throwIfAborted();
      gate.report(false);
      log.warn({ analysisId, err: error }, 'LLM summary failed; using the rule-based summary');
    }
  }
  return { text: writeRuleBasedSummary(facts), source: 'rule-based' };
}
