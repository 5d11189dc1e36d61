/**
 * Child of a job actor: writes the summary. The LLM rephrases the facts when one is
 * configured and its circuit lets the call through; when none is, its circuit is open, or it
 * fails, the rule-based writer does, and `summary_source` says which. Each LLM outcome is
 * reported to the node's circuit breakers (an aborted call is not the LLM's fault).
 */
import type { AnalysisReport } from '../analysis/analyzeSeries.js';
import type { CandleSeries } from '../analysis/candles.js';
import { buildSummaryFacts } from '../analysis/summary/summaryFacts.js';
import { writeRuleBasedSummary } from '../analysis/summary/writeRuleBasedSummary.js';
import type { LlmSummarizer } from '../integrations/llm/llmSummarizer.js';
import type { DependencyGate } from './dependencyGate.js';
import type { StageReply } from './stageReply.js';
import { type ActorParent, type ActorRef, send, spawnActor, stopActor } from './typedActor.js';

export type SummaryMessage = { type: 'summary.run'; series: CandleSeries; report: AnalysisReport; signal: AbortSignal };

export function spawnSummaryActor(parent: ActorParent, llm: LlmSummarizer | undefined, dependencies: DependencyGate, replyTo: ActorRef<StageReply>): ActorRef<SummaryMessage> {
  return spawnActor<null, SummaryMessage>(parent, {
    name: 'summary',
    initialState: null,
    async receive(state, message, self) {
      const facts = buildSummaryFacts(message.series, message.report);
      let reply: StageReply = { type: 'summary.done', text: writeRuleBasedSummary(facts), source: 'rule-based' };
      if (llm && dependencies.allows('llm')) {
        try {
          reply = { type: 'summary.done', text: await llm.summarize(facts, message.signal), source: 'llm' };
          dependencies.report('llm', true);
        } catch (error) {
          message.signal.throwIfAborted();
          dependencies.report('llm', false);
          console.warn(`summary: LLM failed, using the rule-based summary: ${(error as Error).message}`);
        }
      }
      send(replyTo, reply);
      stopActor(self);
      return state;
    },
    onCrash: (error) => send(replyTo, { type: 'stage.failed', stage: 'summary', error }),
  });
}
