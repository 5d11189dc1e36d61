/** How a consumer ends a job's failed attempt: the retry request it sends to Redis, and what it logs of the answer. */
import type { Logger } from '../config/logger.js';
import type { RetryRequest, RetryResult } from '../storage/consumerQueue.js';
import { progressEvent } from '../storage/progressEvent.js';
import type { JobOutcome } from './jobOutcome.js';

export interface RetrySettings {
  name: string;
  maxRetries: number;
  retryDelayMs: (retriesSoFar: number, random: number, retryAfterMs?: number) => number;
  now: number;
  /** A draw in [0, 1) for the backoff's jitter. */
  random: number;
}

export function retryRequestFor(
  analysisId: string,
  job: { entryId: string; ownerToken: string; attempts: number },
  outcome: Extract<JobOutcome, { status: 'failed' }>,
  settings: RetrySettings,
): RetryRequest {
  const delayMs = settings.retryDelayMs(job.attempts, settings.random, outcome.retryAfterMs);
  const retryNumber = job.attempts + 1;
  return {
    analysisId,
    entryId: job.entryId,
    ownerToken: job.ownerToken,
    error: outcome.error,
    node: settings.name,
    maxRetries: settings.maxRetries,
    dueAt: settings.now + delayMs,
    // Used only when a retry is scheduled (the script dead-letters once retries are used up).
    event: progressEvent(
      'queued',
      'retrying',
      0,
      `retry ${retryNumber} of ${settings.maxRetries} in ${delayMs} ms after: ${outcome.error}`,
    ),
  };
}

export function logRetryResult(
  log: Logger,
  consumer: string,
  request: RetryRequest,
  result: RetryResult,
  now: number,
): void {
  const context = { analysisId: request.analysisId, consumer, error: request.error, attempts: result.attempts };
  switch (result.outcome) {
    case 'retrying':
      log.info({ ...context, retryInMs: request.dueAt - now }, 'job failed; retry scheduled');
      return;
    case 'dead-lettered':
      log.warn(context, 'job failed after its last retry; moved to the dead-letter stream');
      return;
    case 'cancelled':
      log.info(context, 'job failed after its user cancelled it; ended cancelled, not retried');
      return;
    case 'lost':
      log.warn(
        context,
        'job was taken over by another worker before its failure was recorded here; left to the new owner',
      );
  }
}
