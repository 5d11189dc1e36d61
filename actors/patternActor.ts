/** Child of a job actor: runs indicator, candlestick and chart-pattern detection over the candles. */
import { analyzeSeries, type AnalysisReport } from '../analysis/analyzeSeries.js';
import type { CandleSeries } from '../analysis/candles.js';
import { type ActorParent, type ActorRef, send, spawnActor, stopActor } from './typedActor.js';
import type { StageReply } from './stageReply.js';
import { yieldToEventLoop } from './yieldToEventLoop.js';

export type PatternMessage = { type: 'patterns.run'; series: CandleSeries };

export function spawnPatternActor(parent: ActorParent, replyTo: ActorRef<StageReply>): ActorRef<PatternMessage> {
  return spawnActor<null, PatternMessage>(parent, {
    name: 'patterns',
    initialState: null,
    async receive(state, message, self) {
      await yieldToEventLoop();
      const report: AnalysisReport = analyzeSeries(message.series);
      send(replyTo, { type: 'patterns.done', report });
      stopActor(self);
      return state;
    },
    onCrash: (error) => send(replyTo, { type: 'stage.failed', stage: 'patterns', error }),
  });
}
