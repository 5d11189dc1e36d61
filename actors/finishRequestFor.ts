/** Turns a job's outcome into the terminal write that finishJobs.lua performs. */
import type { FinishRequest } from '../storage/consumerQueue.js';
import { progressEvent } from '../storage/progressEvent.js';
import type { JobOutcome } from './jobOutcome.js';

type Ended = Exclude<JobOutcome, { status: 'abandoned' }>;

export function finishRequestFor(
  analysisId: string,
  job: { entryId: string; ownerToken: string },
  outcome: Ended,
): FinishRequest {
  const base = { analysisId, entryId: job.entryId, ownerToken: job.ownerToken };
  switch (outcome.status) {
    case 'completed':
      return {
        ...base,
        status: 'completed',
        result: outcome.result,
        event: progressEvent('completed', 'finished', 1, 'analysis completed', { ...outcome.result }),
      };
    case 'failed':
      return {
        ...base,
        status: 'failed',
        result: { error: outcome.error },
        event: progressEvent('failed', 'finished', 1, outcome.error, { error: outcome.error }),
      };
    case 'cancelled':
      return {
        ...base,
        status: 'cancelled',
        result: { error: outcome.reason },
        event: progressEvent('cancelled', 'finished', 1, outcome.reason),
      };
  }
}
