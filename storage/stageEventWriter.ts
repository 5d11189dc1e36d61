/**
 * Writes a worker's stage events with adaptive batching: an event goes out at once when no
 * write is on the wire; events emitted while one is go out together when its reply arrives
 * (or sooner, on `flush`). A quiet worker's events are not delayed, and a busy one's cost one
 * script call per round trip instead of one each: written one by one, the socket writes and
 * replies of a job's four stage events were the largest share of the worker's own cost per
 * job beyond the analysis (bench:pipeline). Events keep their order: every batch goes out on
 * the one connection, in the order the events were appended.
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
  let onTheWire = 0;

  function flush(): void {
    if (waiting.length === 0) return;
    const batch = waiting;
    waiting = [];
    onTheWire += 1;
    let sent: Promise<boolean[]>;
    try {
      sent = send(batch);
    } catch (error) {
      sent = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    sent.then(
      (owned) => {
        batch.forEach((write, index) => write.resolve(owned[index] ?? false));
        replied();
      },
      (error: unknown) => {
        for (const write of batch) write.reject(error);
        replied();
      },
    );
  }

  function replied(): void {
    onTheWire -= 1;
    if (onTheWire === 0) flush();
  }

  return {
    append(analysisId, ownerToken, event) {
      return new Promise<boolean>((resolve, reject) => {
        waiting.push({ analysisId, ownerToken, event, resolve, reject });
        if (onTheWire === 0) flush();
      });
    },
    flush,
  };
}
