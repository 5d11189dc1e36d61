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
  // Each request is written out field by field: spreading a shared base and adding fields to
  // the copy costs V8 about a microsecond per object, and this runs for every job.
  const { entryId, ownerToken } = job;
  switch (outcome.status) {
    case 'completed':
      return {
        analysisId,
        entryId,
        ownerToken,
        status: 'completed',
        result: outcome.result,
        // Without the result: the record holds it (analysis_data is tens of KB), so it is stored
        // once and does not reach every API node; a follower attaches it as it sends the event.
        event: progressEvent('completed', 'finished', 1, 'analysis completed'),
      };
    case 'failed':
      return {
        analysisId,
        entryId,
        ownerToken,
        status: 'failed',
        result: { error: outcome.error },
        event: progressEvent('failed', 'finished', 1, outcome.error, { error: outcome.error }),
      };
    case 'cancelled':
      return {
        analysisId,
        entryId,
        ownerToken,
        status: 'cancelled',
        result: { error: outcome.reason },
        event: progressEvent('cancelled', 'finished', 1, outcome.reason),
      };
  }
}
