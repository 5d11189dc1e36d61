/**
 * Writes a worker's stage events one turn of the event loop at a time: the events its jobs
 * emit in a turn go out together, in one script call, when the turn ends (setImmediate), or
 * sooner, on `flush`. The worker's connection already sends a turn's commands in one socket
 * write (turnCoalescedWrites.ts), so an event waits no longer than it did; what the batch
 * saves is redis-server's cost of a script call per event (about 60 µs each, four a job).
 * Events keep their order: every batch goes out on the one connection, in the order appended.
 */
import { createTurnBatcher } from './turnBatcher.js';

export interface StageEventWrite<E> {
  analysisId: string;
  ownerToken: string;
  event: E;
}

/** Sends one batch; resolves per write whether its owner still held the job. */
export type SendStageEvents<E> = (writes: readonly StageEventWrite<E>[]) => Promise<boolean[]>;

export interface StageEventWriter<E> {
  /** Resolves false when this owner no longer holds the job (nothing was written). */
  append(analysisId: string, ownerToken: string, event: E): Promise<boolean>;
  /**
   * Sends what is waiting now, before the caller's next command on the same connection: a
   * finish or retry must land after the job's stage events.
   */
  flush(): void;
}

export function createStageEventWriter<E>(send: SendStageEvents<E>): StageEventWriter<E> {
  const batcher = createTurnBatcher<StageEventWrite<E>, boolean>(send);
  return {
    append: (analysisId, ownerToken, event) => batcher.add({ analysisId, ownerToken, event }),
    flush: () => batcher.flush(),
  };
}
