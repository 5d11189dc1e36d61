/**
 * Gathers the calls of one turn of the event loop into batches: the items added in a turn go
 * out together when the turn ends (setImmediate), or sooner, on `flush`, or as soon as a batch
 * holds `maxItems`. Each caller gets its own item's result, or the batch's error (also when
 * the reply lacks its result). Batches go out in the order their items were added.
 */
export type SendBatch<I, R> = (items: readonly I[]) => Promise<readonly R[]>;

export interface TurnBatcher<I, R> {
  add(item: I): Promise<R>;
  /** Sends what is waiting now. */
  flush(): void;
}

interface Waiting<I, R> {
  item: I;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export function createTurnBatcher<I, R>(send: SendBatch<I, R>, maxItems = Number.POSITIVE_INFINITY): TurnBatcher<I, R> {
  let waiting: Waiting<I, R>[] = [];

  function flush(): void {
    if (waiting.length === 0) return;
    const batch = waiting;
    waiting = [];
    let sent: Promise<readonly R[]>;
    try {
      sent = send(batch.map((entry) => entry.item));
    } catch (error) {
      sent = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    sent.then(
      (results) =>
        batch.forEach((entry, index) => {
          const result = results[index];
          if (result === undefined)
            entry.reject(new Error(`the batch of ${batch.length} replied ${results.length} results`));
          else entry.resolve(result);
        }),
      (error: unknown) => {
        for (const entry of batch) entry.reject(error);
      },
    );
  }

  return {
    add(item) {
      return new Promise<R>((resolve, reject) => {
        const count = waiting.push({ item, resolve, reject });
        if (count >= maxItems) flush();
        else if (count === 1) setImmediate(flush);
      });
    },
    flush,
  };
}
