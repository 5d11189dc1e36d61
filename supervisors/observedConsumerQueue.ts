/**
 * The consumer queue with every outcome counted in the worker's job metrics: what the claim,
 * takeover, progress, finish and retry calls answer is all the metrics need, so the actors stay
 * unaware of them. Stage events are written when a stage ends: a stage lasts from the event
 * before it (the claim, for the first), except chart and summary, which run side by side after
 * patterns and both count from it.
 */
import type { ConsumerQueue, RetryResult } from '../storage/consumerQueue.js';
import type { JobMetricOutcome, JobMetrics } from './jobMetrics.js';

interface Attempt {
  startedAt: number;
  /** When the stage now running began (the last sequential event). */
  stageFrom: number;
}

/** Attempts tracked at once; a job that never reports its end (the worker lost it unnoticed) must not stay forever. */
const MAX_TRACKED = 10_000;
const PARALLEL_STAGES = new Set(['chart', 'summary']);
const STAGE_OF_ERROR = /^(candles|patterns|chart|summary):/;

const RETRY_OUTCOME: Record<RetryResult['outcome'], JobMetricOutcome | undefined> = {
  retrying: 'retried',
  'dead-lettered': 'dead-lettered',
  cancelled: 'cancelled',
  lost: undefined,
};

/** The stream entry id's first part is when it was added: the job's latest queueing (enqueue, retry or replay). */
function queuedAt(entryId: string): number {
  return Number(entryId.slice(0, entryId.indexOf('-')));
}

export function observeConsumerQueue(
  queue: ConsumerQueue,
  metrics: JobMetrics,
  now: () => number = Date.now,
): ConsumerQueue {
  const attempts = new Map<string, Attempt>();
  const seconds = (from: number) => (now() - from) / 1000;

  function begin(analysisId: string, at: number): void {
    attempts.delete(analysisId);
    attempts.set(analysisId, { startedAt: at, stageFrom: at });
    if (attempts.size > MAX_TRACKED) attempts.delete(attempts.keys().next().value!);
  }

  function end(analysisId: string, outcome: JobMetricOutcome | undefined, error: string | undefined): void {
    const attempt = attempts.get(analysisId);
    attempts.delete(analysisId);
    if (!attempt || outcome === undefined) return;
    metrics.jobEnded(outcome, seconds(attempt.startedAt));
    const stage = error?.match(STAGE_OF_ERROR)?.[1];
    if (stage && outcome !== 'completed')
      metrics.stageEnded(stage, outcome === 'cancelled' ? 'cancelled' : 'failed', seconds(attempt.stageFrom));
  }

  return {
    ...queue,
    async claimBatch(entries, ownerTokenFor, consumer) {
      const report = await queue.claimBatch(entries, ownerTokenFor, consumer);
      const at = now();
      let takenOver = 0;
      for (const job of report.claimed) {
        begin(job.record.analysis_id, at);
        if (job.takenOver) takenOver += 1;
        else metrics.waited((at - queuedAt(job.entryId)) / 1000);
      }
      metrics.tookOver(takenOver);
      if (report.skipped.length > 0)
        metrics.poisoned(report.skipped.filter((skip) => skip.reason === 'dead-lettered').length);
      return report;
    },
    async takeOverIdle(consumer, minIdleMs, count, cursor) {
      const page = await queue.takeOverIdle(consumer, minIdleMs, count, cursor);
      metrics.reclaimed(page.entries.length);
      return page;
    },
    async appendProgress(analysisId, ownerToken, event) {
      const owned = await queue.appendProgress(analysisId, ownerToken, event);
      const attempt = attempts.get(analysisId);
      if (owned && attempt) {
        metrics.stageEnded(event.stage, 'ok', seconds(attempt.stageFrom));
        if (!PARALLEL_STAGES.has(event.stage)) attempt.stageFrom = now();
      }
      return owned;
    },
    async finishWithStatus(requests) {
      const statuses = await queue.finishWithStatus(requests);
      statuses.forEach((status, index) => {
        const request = requests[index]!;
        end(request.analysisId, status, request.result.error);
      });
      return statuses;
    },
    async retry(request) {
      const result = await queue.retry(request);
      end(request.analysisId, RETRY_OUTCOME[result.outcome], request.error);
      return result;
    },
  };
}
