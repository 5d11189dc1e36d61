/**
 * Child of a job actor: runs the summary stage, with the node supervisor's LLM breaker as its
 * gate, and answers the text and its `summary_source`.
 */
import type { AnalysisReport } from '../analysis/analyzeSeries.js';
import type { CandleSeries } from '../analysis/candles.js';
import type { LlmSummarizer } from '../integrations/llm/llmSummarizer.js';
import type { LlmGate } from '../pipeline/llmGate.js';
import { writeSummary } from '../pipeline/writeSummary.js';
import { actorLogger } from './actorDiagnostics.js';
import type { DependencyGate } from './dependencyGate.js';
import type { StageReply } from './stageReply.js';
import { type ActorParent, type ActorRef, send, spawnActor, stopActor } from './typedActor.js';

export type SummaryMessage = {
  type: 'summary.run';
  analysisId: string;
  series: CandleSeries;
  report: AnalysisReport;
  signal: AbortSignal;
};

export function spawnSummaryActor(
  parent: ActorParent,
  llm: LlmSummarizer | undefined,
  dependencies: DependencyGate,
  replyTo: ActorRef<StageReply>,
): ActorRef<SummaryMessage> {
  const gate: LlmGate = { permit: () => dependencies.permit('llm'), report: (ok) => dependencies.report('llm', ok) };
  return spawnActor<null, SummaryMessage>(parent, {
    name: 'summary',
    initialState: null,
    async receive(state, message, self) {
      const summary = await writeSummary(
        message.analysisId,
        message.series,
        message.report,
        { llm, gate, log: actorLogger() },
        message.signal,
      );
      send(replyTo, { type: 'summary.done', text: summary.text, source: summary.source });
      stopActor(self);
      return state;
    },
    onCrash: (error) => send(replyTo, { type: 'stage.failed', stage: 'summary', error }),
  });
}
