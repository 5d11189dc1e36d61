/**
 * One per worker node: runs the schedules that are due (a scan per closed bar). It reads the
 * due part of the shared sorted set, soonest first, and runs each schedule through the store,
 * whose claim script lets exactly one node run a bar however many nodes look at once; a full
 * batch looks again at once. Supervised like the other periodic children: a crash is reported
 * to the node supervisor, which restarts it with backoff; a round still unanswered after
 * `roundTimeoutMs` (Redis unreachable) is given up so the next one can start, and anything it
 * left half done (a pending run) is finished by the next look of any node.
 */
import type { Logger } from '../config/logger.js';
import type { DueOutcome, ScheduleStore } from '../storage/schedules/scheduleStore.js';
import type { Clock } from './clock.js';
import { type ActorParent, type ActorRef, type ChildCrashed, send, spawnActor } from './typedActor.js';

export type ScheduleRunnerMessage =
  { type: 'schedules.tick' } | { type: 'schedules.done'; round: number; looked: number } | { type: 'periodic.stop' };

export interface ScheduleRunnerOptions {
  schedules: Pick<ScheduleStore, 'due' | 'runDue'>;
  intervalMs: number;
  /** Most schedules looked at per round. */
  batchSize: number;
  roundTimeoutMs: number;
  clock: Clock;
  log: Logger;
  supervisor: ActorRef<ChildCrashed>;
}

interface RunnerState {
  /** Numbers rounds, so the late answer of one given up is told from the current one's. */
  round: number;
  running: boolean;
  stopped: boolean;
}

async function runRound(options: ScheduleRunnerOptions): Promise<number> {
  const now = options.clock.now();
  const ids = await options.schedules.due(now, options.batchSize);
  for (const id of ids) {
    let outcome: DueOutcome;
    try {
      outcome = await options.schedules.runDue(id, now);
    } catch (error) {
      // One schedule failing (a Redis hiccup) must not hold back the others; it stays due.
      options.log.warn({ err: error, scheduleId: id }, 'running a due schedule failed; will try again');
      continue;
    }
    if (outcome.outcome === 'ran')
      options.log.info(
        { scheduleId: id, scanId: outcome.scanId, bars: outcome.bars.map((bar) => `${bar.interval}@${bar.bar}`) },
        'schedule ran: scan queued',
      );
    else if (outcome.outcome === 'at-cap')
      options.log.warn({ scheduleId: id }, "schedule's run skipped: its user is at the active-job cap");
  }
  return ids.length;
}

export function spawnScheduleRunnerActor(
  parent: ActorParent,
  options: ScheduleRunnerOptions,
): ActorRef<ScheduleRunnerMessage> {
  const { clock, log } = options;
  return spawnActor<RunnerState, ScheduleRunnerMessage>(parent, {
    name: 'schedule-runner',
    initialState: { round: 0, running: false, stopped: false },
    supervisor: options.supervisor,
    receive(state, message, self) {
      switch (message.type) {
        case 'schedules.tick': {
          if (state.running || state.stopped) return state;
          const round = state.round + 1;
          const cancelTimeout = clock.after(options.roundTimeoutMs, () => {
            log.warn(
              { timeoutMs: options.roundTimeoutMs },
              'running due schedules did not finish in time; will try again',
            );
            send(self, { type: 'schedules.done', round, looked: 0 });
          });
          runRound(options).then(
            (looked) => {
              cancelTimeout();
              send(self, { type: 'schedules.done', round, looked });
            },
            (error: Error) => {
              cancelTimeout();
              log.warn({ err: error }, 'reading due schedules failed; will try again');
              send(self, { type: 'schedules.done', round, looked: 0 });
            },
          );
          return { ...state, round, running: true };
        }
        case 'schedules.done':
          if (message.round !== state.round || !state.running) return state;
          if (!state.stopped) {
            if (message.looked >= options.batchSize) send(self, { type: 'schedules.tick' });
            else clock.after(options.intervalMs, () => send(self, { type: 'schedules.tick' }));
          }
          return { ...state, running: false };
        case 'periodic.stop':
          return { ...state, stopped: true };
      }
    },
  });
}
