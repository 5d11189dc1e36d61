/**
 * Lets pending I/O (the progress event just sent, other jobs' Redis replies) go out before a
 * CPU-heavy stage holds the event loop for tens of milliseconds.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
