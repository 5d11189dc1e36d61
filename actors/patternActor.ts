/** Child of a job actor: runs the pattern stage (indicators, candlesticks, chart patterns) over the candles. */
import type { CandleSeries } from '../analysis/candles.js';
import { detectPatterns } from '../pipeline/detectPatterns.js';
import type { StageReply } from './stageReply.js';
import { type ActorParent, type ActorRef, send, spawnActor, stopActor } from './typedActor.js';
import { yieldToEventLoop } from './yieldToEventLoop.js';

export type PatternMessage = { type: 'patterns.run'; series: CandleSeries; signal: AbortSignal };

export function spawnPatternActor(parent: ActorParent, replyTo: ActorRef<StageReply>): ActorRef<PatternMessage> {
  return spawnActor<null, PatternMessage>(parent, {
    name: 'patterns',
    initialState: null,
    async receive(state, message, self) {
      await yieldToEventLoop();
      send(replyTo, { type: 'patterns.done', report: detectPatterns(message.series, message.signal) });
      stopActor(self);
      return state;
    },
    onCrash: (error) => send(replyTo, { type: 'stage.failed', stage: 'patterns', error }),
  });
}
