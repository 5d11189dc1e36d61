/**
 * One per worker node: moves retries that are due from the schedule in Redis back onto the
 * job stream. The schedule is shared by every node and the move script is atomic (ZREM
 * decides), so schedulers on several nodes may race safely, and a retry survives the death
 * of the worker that scheduled it.
 */
import type { Logger } from '../config/logger.js';
import type { RetrySchedule } from '../storage/retrySchedule.js';
import type { Clock } from './clock.js';
import { type ActorParent, type ActorRef, send, spawnActor } from './typedActor.js';

export type RetrySchedulerMessage = { type: 'schedule.tick' } | { type: 'schedule.done'; moved: string[] } | { type: 'schedule.stop' };

export interface RetrySchedulerOptions {
  schedule: RetrySchedule;
  intervalMs: number;
  /** Most jobs moved per tick; a full batch ticks again at once. */
  batchSize: number;
  clock: Clock;
  log: Logger;
}

interface SchedulerState {
  moving: boolean;
  stopped: boolean;
}

export function spawnRetrySchedulerActor(parent: ActorParent, options: RetrySchedulerOptions): ActorRef<RetrySchedulerMessage> {
  return spawnActor<SchedulerState, RetrySchedulerMessage>(parent, {
    name: 'retry-scheduler',
    initialState: { moving: false, stopped: false },
    receive(state, message, self) {
      switch (message.type) {
        case 'schedule.tick':
          if (state.moving || state.stopped) return state;
          options.schedule.moveDue(options.clock.now(), options.batchSize).then(
            (moved) => send(self, { type: 'schedule.done', moved }),
            (error: Error) => {
              options.log.warn({ err: error }, 'moving due retries failed; will try again');
              send(self, { type: 'schedule.done', moved: [] });
            },
          );
          return { ...state, moving: true };
        case 'schedule.done':
          if (message.moved.length > 0) options.log.info({ jobs: message.moved }, 'retries due: jobs queued again');
          if (!state.stopped) {
            if (message.moved.length >= options.batchSize) send(self, { type: 'schedule.tick' });
            else options.clock.after(options.intervalMs, () => send(self, { type: 'schedule.tick' }));
          }
          return { ...state, moving: false };
        case 'schedule.stop':
          return { ...state, stopped: true };
      }
    },
  });
}
