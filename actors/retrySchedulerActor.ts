/**
 * One per worker node: moves retries that are due from the schedule in Redis back onto the
 * job stream. The schedule is shared by every node and the move script is atomic (ZREM
 * decides), so schedulers on several nodes may race safely, and a retry survives the death
 * of the worker that scheduled it.
 */
import type { Logger } from '../config/logger.js';
import type { RetrySchedule } from '../storage/retrySchedule.js';
import type { Clock } from './clock.js';
import { type ActorParent, type ActorRef, type ChildCrashed, send, spawnActor } from './typedActor.js';

export type RetrySchedulerMessage =
  { type: 'schedule.tick' } | { type: 'schedule.done'; tick: number; moved: string[] } | { type: 'schedule.stop' };

export interface RetrySchedulerOptions {
  schedule: Pick<RetrySchedule, 'moveDue'>;
  intervalMs: number;
  /** Most jobs moved per tick; a full batch ticks again at once. */
  batchSize: number;
  /** A move still unanswered after this long (Redis unreachable) is given up, so the next tick can start. */
  moveTimeoutMs: number;
  clock: Clock;
  log: Logger;
  supervisor: ActorRef<ChildCrashed>;
}

interface SchedulerState {
  /** Numbers ticks, so the late answer of one given up is told from the current one's. */
  tick: number;
  moving: boolean;
  stopped: boolean;
}

export function spawnRetrySchedulerActor(
  parent: ActorParent,
  options: RetrySchedulerOptions,
): ActorRef<RetrySchedulerMessage> {
  return spawnActor<SchedulerState, RetrySchedulerMessage>(parent, {
    name: 'retry-scheduler',
    initialState: { tick: 0, moving: false, stopped: false },
    supervisor: options.supervisor,
    receive(state, message, self) {
      switch (message.type) {
        case 'schedule.tick': {
          if (state.moving || state.stopped) return state;
          const tick = state.tick + 1;
          const cancelTimeout = options.clock.after(options.moveTimeoutMs, () => {
            options.log.warn(
              { timeoutMs: options.moveTimeoutMs },
              'moving due retries did not finish in time; will try again',
            );
            send(self, { type: 'schedule.done', tick, moved: [] });
          });
          options.schedule.moveDue(options.clock.now(), options.batchSize).then(
            (moved) => {
              cancelTimeout();
              send(self, { type: 'schedule.done', tick, moved });
            },
            (error: Error) => {
              cancelTimeout();
              options.log.warn({ err: error }, 'moving due retries failed; will try again');
              send(self, { type: 'schedule.done', tick, moved: [] });
            },
          );
          return { ...state, tick, moving: true };
        }
        case 'schedule.done':
          if (message.tick !== state.tick || !state.moving) return state;
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
