/**
 * One per worker node when MongoDB is configured: moves terminal jobs from the archive
 * (outbox) stream into MongoDB's `analyses` collection, a batch per tick (archiveBatch.ts).
 * It owns the MongoDB circuit breaker (the pure one the node's dependencies use): while it is
 * open the archiver waits, and the queue runs on, since Redis keeps every unarchived job
 * (its expiry starts only once archived). Half-open lets one batch through as the trial.
 */
import type { Logger } from '../config/logger.js';
import {
  type CircuitBreaker,
  type CircuitSettings,
  closedBreaker,
  elapse,
  msUntilHalfOpen,
  recordFailure,
  recordSuccess,
  tryPass,
} from '../pipeline/circuitBreaker.js';
import { type ArchiveBatchDeps, type ArchiveBatchResult, archiveBatch } from './archiveBatch.js';
import type { Clock } from './clock.js';
import { type ActorParent, type ActorRef, type ChildCrashed, send, spawnActor } from './typedActor.js';

export type ArchiverMessage =
  | { type: 'archive.tick' }
  | { type: 'archive.done'; tick: number; result: ArchiveBatchResult | undefined }
  | { type: 'archive.stop' };

export interface ArchiverOptions extends Omit<ArchiveBatchDeps, 'takeOverIdleMs'> {
  /** Pause between batches when the last one was not full. */
  intervalMs: number;
  /** Entries idle this long in another archiver's pending list belong to a dead one (the claim timeout). */
  claimTimeoutMs: number;
  /** A batch still unanswered after this long is given up, so the next can start (its entries stay pending). */
  batchTimeoutMs: number;
  circuit: CircuitSettings;
  clock: Clock;
  log: Logger;
  supervisor: ActorRef<ChildCrashed>;
}

interface ArchiverState {
  tick: number;
  busy: boolean;
  stopped: boolean;
  breaker: CircuitBreaker;
  /** When idle entries were last taken over (epoch ms). */
  lastTakeOver: number;
}

export function spawnArchiverActor(parent: ActorParent, options: ArchiverOptions): ActorRef<ArchiverMessage> {
  const { clock, log } = options;
  const later = (self: ActorRef<ArchiverMessage>, ms: number) =>
    clock.after(ms, () => send(self, { type: 'archive.tick' }));

  function startBatch(state: ArchiverState, self: ActorRef<ArchiverMessage>): ArchiverState {
    const now = clock.now();
    const tick = state.tick + 1;
    // Taking over needs an XAUTOCLAIM scan of the pending list: a few times per claim timeout is enough.
    const takeOver = now - state.lastTakeOver >= options.claimTimeoutMs / 2;
    const cancelTimeout = clock.after(options.batchTimeoutMs, () => {
      log.warn({ timeoutMs: options.batchTimeoutMs }, 'archive batch did not finish in time; will try again');
      send(self, { type: 'archive.done', tick, result: undefined });
    });
    archiveBatch({ ...options, takeOverIdleMs: takeOver ? options.claimTimeoutMs : 0 }).then(
      (result) => {
        cancelTimeout();
        send(self, { type: 'archive.done', tick, result });
      },
      (error: Error) => {
        cancelTimeout();
        log.warn({ err: error }, 'archive batch failed on Redis; will try again');
        send(self, { type: 'archive.done', tick, result: undefined });
      },
    );
    return { ...state, tick, busy: true, lastTakeOver: takeOver ? now : state.lastTakeOver };
  }

  function reportBreaker(before: CircuitBreaker, after: CircuitBreaker): void {
    if (before.state === after.state) return;
    if (after.state === 'open')
      log.warn(
        { consecutiveFailures: after.consecutiveFailures, halfOpenInMs: options.circuit.resetTimeoutMs },
        'circuit breaker for mongodb opened; archiving paused (the queue keeps running)',
      );
    else log.info({ to: after.state }, `circuit breaker for mongodb is ${after.state}`);
  }

  return spawnActor<ArchiverState, ArchiverMessage>(parent, {
    name: 'archiver',
    initialState: { tick: 0, busy: false, stopped: false, breaker: closedBreaker, lastTakeOver: 0 },
    supervisor: options.supervisor,
    receive(state, message, self) {
      switch (message.type) {
        case 'archive.tick': {
          if (state.busy || state.stopped) return state;
          const now = clock.now();
          const elapsed = elapse(state.breaker, now, options.circuit);
          reportBreaker(state.breaker, elapsed);
          const pass = tryPass(elapsed);
          if (!pass.allowed) {
            later(self, Math.max(options.intervalMs, msUntilHalfOpen(elapsed, now, options.circuit)));
            return { ...state, breaker: elapsed };
          }
          return startBatch({ ...state, breaker: pass.breaker }, self);
        }
        case 'archive.done': {
          if (message.tick !== state.tick || !state.busy) return state;
          const { result } = message;
          let breaker = state.breaker;
          if (result?.mongoOk === true) breaker = recordSuccess(breaker, clock.now(), options.circuit);
          if (result?.mongoOk === false) {
            log.warn({ err: result.mongoError }, 'archiving into mongodb failed; the entries stay pending');
            breaker = recordFailure(breaker, clock.now(), options.circuit);
          }
          // A half-open trial that needed no MongoDB call proved nothing: let the next batch try.
          if (result?.mongoOk === undefined && breaker.state === 'half-open')
            breaker = { ...breaker, trialInFlight: false };
          reportBreaker(state.breaker, breaker);
          if (!state.stopped) {
            const full = result !== undefined && result.read >= options.batchSize && result.mongoOk !== false;
            if (full) send(self, { type: 'archive.tick' });
            else later(self, options.intervalMs);
          }
          return { ...state, busy: false, breaker };
        }
        case 'archive.stop':
          return { ...state, stopped: true };
      }
    },
  });
}
