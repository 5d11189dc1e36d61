/**
 * A job actor that does no analysis and completes at once: it measures the queue, claim,
 * actor and finish path alone (bench/queue). Not used by `candela worker`.
 */
import type { JobActorFactory } from './jobActorFactory.js';
import type { JobMessage } from './jobActor.js';
import { spawnActor, stopActor } from './typedActor.js';

export const spawnNoopJobActor: JobActorFactory = (parent, options) =>
  spawnActor<null, JobMessage>(parent, {
    name: options.record.analysis_id.toLowerCase(),
    initialState: null,
    receive(state, message, self) {
      if (message.type === 'job.start')
        options.onOutcome({ status: 'completed', result: { analysis_data: { noop: true } } });
      else if (message.type === 'job.abort') options.onOutcome({ status: 'abandoned', reason: message.reason });
      stopActor(self);
      return state;
    },
  });
