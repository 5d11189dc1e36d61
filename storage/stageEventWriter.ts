/**
 * Writes a worker's stage events one turn of the event loop at a time: the events its jobs
 * emit in a turn go out together, in one script call, when the turn ends (setImmediate), or
 * sooner, on `flush`. The worker's connection already sends a turn's commands in one socket
 * write (turnCoalescedWrites.ts), so an event waits no longer than it did; what the batch
 * saves is redis-server's cost of a script call per event (about 60 µs each, four a job).
 * Events keep their order: every batch goes out on the one connection, in the order appended.
 */
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

interface Waiting<E> extends StageEventWrite<E> {
  resolve(owned: boolean): void;
  reject(error: unknown): void;
}

export function createStageEventWriter<E>(send: SendStageEvents<E>): StageEventWriter<E> {
  let waiting: Waiting<E>[] = [];

  function flush(): void {
    if (waiting.length === 0) return;
    const batch = waiting;
    waiting = [];
    let sent: Promise<boolean[]>;
    try {
      sent = send(batch);
    } catch (error) {
      sent = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    sent.then(
      (owned) => batch.forEach((write, index) => write.resolve(owned[index] ?? false)),
      (error: unknown) => {
        for (const write of batch) write.reject(error);
      },
    );
  }

  return {
    append(analysisId, ownerToken, event) {
      return new Promise<boolean>((resolve, reject) => {
        if (waiting.push({ analysisId, ownerToken, event, resolve, reject }) === 1) setImmediate(flush);
      });
    },
    flush,
  };
}
