/**
 * The worker's consumer queue, told of every job it ends: after a finish or a dead letter is
 * stored, the jobs that belong to a scan are counted on it. A hook after the terminal write
 * rather than inside the finish script, so the queue's scripts stay as they are; a count
 * missed here (the process died in between) is made by the next read of the scan.
 */
import type { Logger } from '../../config/logger.js';
import type { ConsumerQueue } from '../consumerQueue.js';

export interface EndedJobsListener {
  (analysisIds: readonly string[]): Promise<void>;
}

export function withEndedJobsListener(queue: ConsumerQueue, listener: EndedJobsListener, log: Logger): ConsumerQueue {
  const tell = (ids: string[]) => {
    if (ids.length === 0) return;
    listener(ids).catch((error: unknown) =>
      log.warn({ err: error, jobs: ids.length }, 'could not update the scans of finished jobs; the next read will'),
    );
  };
  return {
    ...queue,
    async finishWithStatus(requests) {
      const statuses = await queue.finishWithStatus(requests);
      tell(requests.filter((_, index) => statuses[index] !== undefined).map((request) => request.analysisId));
      return statuses;
    },
    async retry(request) {
      const result = await queue.retry(request);
      if (result.outcome === 'dead-lettered' || result.outcome === 'cancelled') tell([request.analysisId]);
      return result;
    },
  };
}
