/** Time as a dependency, so backoff, timeouts and half-open timing are testable without waiting. */
export interface Clock {
  now(): number;
  /** Calls back after ms; the returned function cancels. */
  after(ms: number, callback: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, callback) {
    // Unref'd: a pending timer alone never keeps a process from exiting.
    const timer = setTimeout(callback, ms).unref();
    return () => clearTimeout(timer);
  },
};
