/**
 * One per worker node: the retention work key expiry cannot do by itself, a bounded batch per
 * tick: drop expired jobs from their users' indexes (the retention schedule in Redis, shared
 * by every node; the trim script is idempotent, so nodes may race), and delete expired charts:
 * files older than the result TTL from the file store and, with MongoDB, GridFS charts older
 * than the history TTL (they follow the MongoDB history).
 */
import type { Logger } from '../config/logger.js';
import type { ChartFileSweep } from '../storage/charts/chartFileSweep.js';
import type { RetentionSweep } from '../storage/retentionSweep.js';
import type { Clock } from './clock.js';
import { type ActorParent, type ActorRef, type ChildCrashed, send, spawnActor } from './typedActor.js';

export type RetentionSweeperMessage =
  { type: 'retention.tick' } | { type: 'retention.done'; tick: number; full: boolean } | { type: 'retention.stop' };

export interface RetentionSweeperOptions {
  sweep: Pick<RetentionSweep, 'sweep'>;
  charts: Pick<ChartFileSweep, 'sweep'> | undefined;
  intervalMs: number;
  /** Most index entries and chart files looked at per tick; a full batch ticks again at once. */
  batchSize: number;
  timeoutMs: number;
  clock: Clock;
  log: Logger;
  supervisor: ActorRef<ChildCrashed>;
}

interface SweeperState {
  tick: number;
  busy: boolean;
  stopped: boolean;
}

export function spawnRetentionSweeperActor(
  parent: ActorParent,
  options: RetentionSweeperOptions,
): ActorRef<RetentionSweeperMessage> {
  const { clock, log } = options;
  async function work(): Promise<boolean> {
    const now = clock.now();
    const [index, files] = await Promise.all([
      options.sweep.sweep(now, options.batchSize),
      // A chart store that fails (MongoDB down) must not hold up the Redis side: it is tried again next tick.
      options.charts?.sweep(now, options.batchSize).catch((error: Error) => {
        log.warn({ err: error }, 'chart retention sweep failed; will try again');
        return undefined;
      }),
    ]);
    if (files && files.deleted > 0) log.debug({ deleted: files.deleted }, 'expired chart files deleted');
    return index.due >= options.batchSize || (files?.examined ?? 0) >= options.batchSize;
  }
  return spawnActor<SweeperState, RetentionSweeperMessage>(parent, {
    name: 'retention-sweeper',
    initialState: { tick: 0, busy: false, stopped: false },
    supervisor: options.supervisor,
    receive(state, message, self) {
      switch (message.type) {
        case 'retention.tick': {
          if (state.busy || state.stopped) return state;
          const tick = state.tick + 1;
          const cancelTimeout = clock.after(options.timeoutMs, () =>
            send(self, { type: 'retention.done', tick, full: false }),
          );
          work().then(
            (full) => {
              cancelTimeout();
              send(self, { type: 'retention.done', tick, full });
            },
            (error: Error) => {
              cancelTimeout();
              log.warn({ err: error }, 'retention sweep failed; will try again');
              send(self, { type: 'retention.done', tick, full: false });
            },
          );
          return { ...state, tick, busy: true };
        }
        case 'retention.done':
          if (message.tick !== state.tick || !state.busy) return state;
          if (!state.stopped) {
            if (message.full) send(self, { type: 'retention.tick' });
            else clock.after(options.intervalMs, () => send(self, { type: 'retention.tick' }));
          }
          return { ...state, busy: false };
        case 'retention.stop':
          return { ...state, stopped: true };
      }
    },
  });
}
