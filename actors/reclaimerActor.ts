/**
 * Takes over entries that have sat idle in another consumer's pending list longer than the
 * claim timeout (a worker that died or was cut off), following XAUTOCLAIM's cursor to the
 * end of the pending list, and hands them to this node's consumers in turn, each no more than
 * it has room to start. Live jobs keep
 * their claims fresh (consumerActor), so only orphans are idle this long. Each sweep also
 * trims acknowledged entries from the stream.
 */
import type { Logger } from '../config/logger.js';
import type { ConsumerQueue } from '../storage/consumerQueue.js';
import type { Clock } from './clock.js';
import type { ConsumerMessage } from './consumerActor.js';
import { type ActorParent, type ActorRef, ask, type ChildCrashed, send, spawnActor } from './typedActor.js';

export type ReclaimerMessage =
  | { type: 'reclaim.tick' }
  | { type: 'reclaim.done'; sweep: number; taken: number }
  | { type: 'reclaim.stop' }
  /** A circuit is open: take nothing over, so healthy workers can. */
  | { type: 'reclaim.pause' }
  | { type: 'reclaim.resume' };

export interface ReclaimerOptions {
  queue: Pick<ConsumerQueue, 'takeOverIdle' | 'trimAcknowledged'>;
  consumers: readonly ActorRef<ConsumerMessage>[];
  claimTimeoutMs: number;
  intervalMs: number;
  /** A sweep still unanswered after this long (Redis unreachable) is given up, so the next one can start. */
  sweepTimeoutMs: number;
  /** Entries per XAUTOCLAIM call, and the most taken in one sweep. */
  countPerCall: number;
  maxPerSweep: number;
  clock: Clock;
  log: Logger;
  supervisor: ActorRef<ChildCrashed>;
}

interface ReclaimerState {
  /** Numbers sweeps, so the late answer of one given up is told from the current one's. */
  sweep: number;
  sweeping: boolean;
  stopped: boolean;
  paused: boolean;
}

/** How long a consumer may take to say how much room it has; no answer counts as none. */
const ROOM_QUERY_TIMEOUT_MS = 1000;

async function sweep(options: ReclaimerOptions): Promise<number> {
  // Only what the consumers can start now: an entry handed to a full consumer would idle in its
  // backlog past the claim timeout and be taken over again, each time counting a delivery.
  const rooms = await Promise.all(
    options.consumers.map((consumer) =>
      ask(
        consumer,
        (replyTo: ActorRef<number>) => ({ type: 'consumer.room' as const, replyTo }),
        ROOM_QUERY_TIMEOUT_MS,
      ).catch(() => 0),
    ),
  );
  let room = Math.min(
    options.maxPerSweep,
    rooms.reduce((sum, one) => sum + Math.max(0, one), 0),
  );
  let cursor = '0-0';
  let taken = 0;
  let turn = 0;
  while (room > 0) {
    while (rooms[turn % rooms.length]! <= 0) turn += 1;
    const index = turn++ % rooms.length;
    const consumer = options.consumers[index]!;
    const page = await options.queue.takeOverIdle(
      consumer.name,
      options.claimTimeoutMs,
      Math.min(options.countPerCall, rooms[index]!, room),
      cursor,
    );
    if (page.entries.length > 0) {
      options.log.info(
        { consumer: consumer.name, entries: page.entries.map((entry) => entry.analysisId) },
        'took over idle jobs from a silent consumer',
      );
      send(consumer, { type: 'entries.reclaimed', entries: page.entries });
    }
    rooms[index]! -= page.entries.length;
    room -= page.entries.length;
    taken += page.entries.length;
    cursor = page.cursor;
    if (cursor === '0-0') break;
  }
  // The same periodic pass keeps the stream from growing with every job ever queued.
  await options.queue.trimAcknowledged();
  return taken;
}

export function spawnReclaimerActor(parent: ActorParent, options: ReclaimerOptions): ActorRef<ReclaimerMessage> {
  return spawnActor<ReclaimerState, ReclaimerMessage>(parent, {
    name: 'reclaimer',
    initialState: { sweep: 0, sweeping: false, stopped: false, paused: false },
    supervisor: options.supervisor,
    receive(state, message, self) {
      switch (message.type) {
        case 'reclaim.tick': {
          if (state.sweeping || state.stopped) return state;
          if (state.paused) {
            options.clock.after(options.intervalMs, () => send(self, { type: 'reclaim.tick' }));
            return state;
          }
          const number = state.sweep + 1;
          const cancelTimeout = options.clock.after(options.sweepTimeoutMs, () => {
            options.log.warn(
              { timeoutMs: options.sweepTimeoutMs },
              'reclaim sweep did not finish in time; starting over',
            );
            send(self, { type: 'reclaim.done', sweep: number, taken: 0 });
          });
          sweep(options).then(
            (taken) => {
              cancelTimeout();
              send(self, { type: 'reclaim.done', sweep: number, taken });
            },
            (error: Error) => {
              cancelTimeout();
              options.log.warn({ err: error }, 'reclaim sweep failed; will try again');
              send(self, { type: 'reclaim.done', sweep: number, taken: 0 });
            },
          );
          return { ...state, sweep: number, sweeping: true };
        }
        case 'reclaim.done':
          if (message.sweep !== state.sweep || !state.sweeping) return state;
          if (!state.stopped) options.clock.after(options.intervalMs, () => send(self, { type: 'reclaim.tick' }));
          return { ...state, sweeping: false };
        case 'reclaim.stop':
          return { ...state, stopped: true };
        case 'reclaim.pause':
          return { ...state, paused: true };
        case 'reclaim.resume':
          return { ...state, paused: false };
      }
    },
  });
}
