/**
 * The worker's consumer queue, told of every job it ends: after a finish or a dead letter is
 * stored, the listener hears which jobs ended, with what status, and what their claim read of
 * them (user, symbol, interval, scan), so the scan and alert hooks need no read of the record
 * for a job claimed here. A hook after the terminal write rather than inside the finish script,
 * so the queue's scripts stay as they are; a count missed here (the process died in between)
 * is made by the next read of the scan.
 */
import type { Logger } from '../../config/logger.js';
import type { ClaimedJob, ConsumerQueue, FinishRequest } from '../consumerQueue.js';

/** What a claim read of a job that the hooks need. */
export interface ClaimedFacts {
  userId: string;
  symbol: string;
  interval: string;
  scanId: string | undefined;
}

export interface EndedJob {
  analysisId: string;
  status: FinishRequest['status'];
  /** Absent when this process did not see the job's claim: the hooks read the record instead. */
  claimed?: ClaimedFacts;
}

export interface EndedJobsListener {
  (jobs: readonly EndedJob[]): Promise<void>;
}

/** Claims remembered at once; a job that never ends here (lost, abandoned at shutdown) must not stay forever. */
const MAX_REMEMBERED = 10_000;

const factsOf = (job: ClaimedJob): ClaimedFacts => ({
  userId: job.record.user_id,
  symbol: job.record.symbol,
  interval: job.record.interval,
  scanId: job.scanId,
});

export function withEndedJobsListener(queue: ConsumerQueue, listener: EndedJobsListener, log: Logger): ConsumerQueue {
  const claims = new Map<string, ClaimedFacts>();
  const ended = (analysisId: string, status: EndedJob['status']): EndedJob => {
    const claimed = claims.get(analysisId);
    claims.delete(analysisId);
    return claimed ? { analysisId, status, claimed } : { analysisId, status };
  };
  const tell = (jobs: EndedJob[]) => {
    if (jobs.length === 0) return;
    listener(jobs).catch((error: unknown) =>
      log.warn({ err: error, jobs: jobs.length }, 'could not update the scans of finished jobs; the next read will'),
    );
  };
  return {
    ...queue,
    async claimBatch(entries, ownerTokenFor, consumer) {
      const report = await queue.claimBatch(entries, ownerTokenFor, consumer);
      for (const job of report.claimed) {
        claims.set(job.record.analysis_id, factsOf(job));
        if (claims.size > MAX_REMEMBERED) claims.delete(claims.keys().next().value!);
      }
      return report;
    },
    async finishWithStatus(requests) {
      const statuses = await queue.finishWithStatus(requests);
      const jobs: EndedJob[] = [];
      statuses.forEach((status, index) => {
        const { analysisId } = requests[index]!;
        if (status === undefined) claims.delete(analysisId);
        else jobs.push(ended(analysisId, status));
      });
      tell(jobs);
      return statuses;
    },
    async retry(request) {
      const result = await queue.retry(request);
      if (result.outcome === 'dead-lettered') tell([ended(request.analysisId, 'failed')]);
      else if (result.outcome === 'cancelled') tell([ended(request.analysisId, 'cancelled')]);
      // A retried job is claimed again later, maybe elsewhere: that claim is the one to remember.
      else claims.delete(request.analysisId);
      return result;
    },
  };
}
