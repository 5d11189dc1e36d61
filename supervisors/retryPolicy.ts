/**
 * How long a failed job waits before its next attempt: exponential backoff from
 * ANALYSIS_RETRY_BASE_MS, doubling per retry, capped at 60 s, with "equal jitter" (a random
 * point in the upper half of the window) so that retries of many jobs spread out while each
 * job's delays still grow. A Retry-After from the dependency is honoured, within the cap.
 */
export const RETRY_DELAY_CAP_MS = 60_000;

export interface RetryPolicy {
  baseMs: number;
  capMs?: number;
  /** 0 to 1; Math.random by default (injected in tests). */
  random?: () => number;
}

/** `retriesSoFar` is the job's `attempts` before this failure (0 on the first run). */
export function retryDelayMs(retriesSoFar: number, policy: RetryPolicy, retryAfterMs?: number): number {
  const cap = policy.capMs ?? RETRY_DELAY_CAP_MS;
  const window = Math.min(cap, policy.baseMs * 2 ** Math.min(retriesSoFar, 30));
  const jittered = window / 2 + (policy.random ?? Math.random)() * (window / 2);
  return Math.round(Math.min(cap, Math.max(jittered, retryAfterMs ?? 0)));
}
