/** Child of a job actor: runs the pattern stage (indicators, candlesticks, chart patterns) over the candles, in a stage thread when there are any. */
import type { CandleSeries } from '../analysis/candles.js';
import { detectPatterns } from '../pipeline/detectPatterns.js';
import type { ExternalServices } from './jobServices.js';
import type { StageReply } from './stageReply.js';
import { type ActorParent, type ActorRef, send, spawnActor, stopActor } from './typedActor.js';
import { yieldToEventLoop } from './yieldToEventLoop.js';

export type PatternMessage = { type: 'patterns.run'; series: CandleSeries; signal: AbortSignal };

export function spawnPatternActor(
  parent: ActorParent,
  services: Pick<ExternalServices, 'stageThreads'>,
  replyTo: ActorRef<StageReply>,
): ActorRef<PatternMessage> {
  return spawnActor<null, PatternMessage>(parent, {
    name: 'patterns',
    initialState: null,
    async receive(state, message, self) {
      let report;
      if (services.stageThreads) report = await services.stageThreads.patterns(message.series, message.signal);
      else {
        await yieldToEventLoop();
        report = detectPatterns(message.series, message.signal);
      }
      send(replyTo, { type: 'patterns.done', report });
      stopActor(self);
      return state;
    },
    onCrash: (error) => send(replyTo, { type: 'stage.failed', stage: 'patterns', error }),
  });
}
