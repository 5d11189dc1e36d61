/** How a job actor's run ended, as reported to its consumer. */
import type { JobResult } from '../storage/jobRecord.js';

export type JobOutcome =
  | { status: 'completed'; result: JobResult }
  | { status: 'failed'; error: string; retryable: boolean; retryAfterMs?: number }
  | { status: 'cancelled'; reason: string }
  /** Ownership was lost or the worker is shutting down: leave the job for whoever owns it now. */
  | { status: 'abandoned'; reason: string };

export type JobAbortReason = 'cancelled' | 'ownership-lost' | 'shutdown' | 'timeout';
