/**
 * A bounded inbox of live progress events for one subscriber. When the subscriber falls
 * behind (it stops reading, or its socket is backed up), older stage events are dropped in
 * favour of newer ones: progress is cumulative, so the newest event says all the dropped
 * ones did. The terminal event is never dropped, and memory never grows past `capacity`.
 */
import { isTerminal } from '../../storage/jobRecord.js';
import type { PublishedProgress } from '../../storage/progressEvent.js';

export const MAILBOX_CAPACITY = 8;

export class ProgressMailbox {
  private pending: PublishedProgress[] = [];
  private wake: (() => void) | undefined;
  coalesced = 0;

  constructor(private readonly capacity = MAILBOX_CAPACITY) {}

  push(message: PublishedProgress): void {
    if (this.pending.length >= this.capacity) {
      const oldest = this.pending.findIndex((queued) => !isTerminal(queued.event.status));
      if (oldest >= 0) {
        this.pending.splice(oldest, 1);
        this.coalesced += 1;
      }
    }
    this.pending.push(message);
    this.wake?.();
  }

  /** Everything waiting, or waits for the next push; undefined once the signal aborts. */
  async takeAll(signal: AbortSignal): Promise<PublishedProgress[] | undefined> {
    while (this.pending.length === 0) {
      if (signal.aborted) return undefined;
      await new Promise<void>((resolve) => {
        const done = () => {
          this.wake = undefined;
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
    const taken = this.pending;
    this.pending = [];
    return taken;
  }
}
