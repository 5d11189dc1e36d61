/**
 * The worker side of the job queue: read new entries for a consumer, claim them in one
 * script, keep long jobs' claims fresh, take over idle entries, finish jobs in batches, and
 * end a failed attempt with a retry (or, retries used up, the dead-letter stream).
 */
import { type AdmissionSettings, admissionLimit, admissionScriptKeys } from './admission/admission.js';
import type { QueueKeys } from './keys.js';
import { ensureConsumerGroup } from './jobQueue.js';
import {
  type JobRecord,
  type JobResult,
  type JobStatus,
  pairValue,
  CLAIMED_FIELDS,
  recordFromValues,
  resultFields,
} from './jobRecord.js';
import { eventJson, type ProgressEvent, progressEvent } from './progressEvent.js';
import type { RedisClient } from './redisConnection.js';
import { autoclaimReply, pendingCountReply, type RawEntry, readReply } from './streamReplies.js';
import {
  DEFAULT_DEAD_LETTER_MAX,
  PROGRESS_LOG_MAX_EVENTS,
  type RetentionSettings,
  retentionArgs,
} from './retention.js';
import { runScript } from './scripts/runScript.js';
import { createStageEventWriter } from './stageEventWriter.js';
import {
  type ClaimSkipReason,
  appendStageEvents,
  claimJobs,
  deregisterConsumer,
  finishJobs,
  refreshClaims as refreshClaimsScript,
  releaseRun as releaseRunScript,
  retryJob,
  trimStream,
} from './scripts/scriptTable.js';

export type { ClaimSkipReason };

export interface StreamEntry {
  entryId: string;
  analysisId: string;
  /** Just read with '>' by the consumer that claims it: delivered once, pending for it. */
  fresh?: boolean;
  /** When the read that delivered it was sent (epoch ms): no later than the delivery itself. */
  readAt?: number;
  /** The owner token a failed claim of it used: that claim may have run, so its retry uses the token again. */
  ownerToken?: string;
}

export interface ClaimedJob {
  entryId: string;
  ownerToken: string;
  record: JobRecord;
  takenOver: boolean;
  /** The scan the job belongs to (a scan child's record carries it), so its end is counted there without a read. */
  scanId?: string;
}

export interface ClaimReport {
  claimed: ClaimedJob[];
  skipped: { analysisId: string; reason: ClaimSkipReason }[];
}

/** What a claim refresh found: still ours, ours but its user asked to cancel it, or lost. */
export type ClaimState = 'owned' | 'cancel-requested' | 'lost';

export interface RetryRequest {
  analysisId: string;
  entryId: string;
  ownerToken: string;
  error: string;
  /** The consumer that ran the attempt, recorded in the job's history. */
  node: string;
  maxRetries: number;
  dueAt: number;
  /** The `retrying` event, used when a retry is scheduled. */
  event: ProgressEvent;
}

export interface RetryResult {
  outcome: 'retrying' | 'dead-lettered' | 'cancelled' | 'lost';
  attempts: number;
}

export interface ConsumerQueueOptions extends RetentionSettings, AdmissionSettings {
  /** Deliveries of one entry before it is dead-lettered as a poison message (ANALYSIS_MAX_DELIVERIES). */
  maxDeliveries?: number;
  /** Letters kept on the dead-letter stream (ANALYSIS_DEAD_LETTER_MAX). */
  deadLetterMax?: number;
  /**
   * How long after its read an entry still counts as fresh, so its claim may skip the pending
   * lookup. Must stay below the claim timeout: until then no other consumer can have taken it
   * over, later (an entry that waited in a backlog) it may have been.
   */
  freshForMs?: number;
}

export const DEFAULT_FRESH_FOR_MS = 500;

export const DEFAULT_MAX_DELIVERIES = 5;

export interface FinishRequest {
  analysisId: string;
  entryId: string;
  ownerToken: string;
  status: Extract<JobStatus, 'completed' | 'failed' | 'cancelled'>;
  result: JobResult;
  event: ProgressEvent;
}

/**
 * Entries trimmed from the stream come back with no fields: their id is all that is left, and they are dropped.
 * `delivery` marks entries just read with '>' (one pass: this runs for every job).
 */
function entriesOf(raw: readonly RawEntry[], delivery?: { fresh: true; readAt: number }): StreamEntry[] {
  const entries: StreamEntry[] = [];
  for (const { id, fields } of raw) {
    if (fields === null) continue;
    const analysisId = pairValue(fields, 'analysis_id') ?? '';
    entries.push(delivery ? { entryId: id, analysisId, ...delivery } : { entryId: id, analysisId });
  }
  return entries;
}

export function createConsumerQueue(redis: RedisClient, keys: QueueKeys, options: ConsumerQueueOptions = {}) {
  const maxDeliveries = options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES;
  const deadLetterMax = options.deadLetterMax ?? DEFAULT_DEAD_LETTER_MAX;
  const freshForMs = options.freshForMs ?? DEFAULT_FRESH_FOR_MS;
  const isFresh = (entry: StreamEntry, now: number) =>
    entry.fresh === true && entry.readAt !== undefined && now - entry.readAt < freshForMs;
  /** Arguments every script that can end a job takes. */
  const ending = {
    group: keys.group,
    channel: keys.progressChannel(),
    progressLogMax: PROGRESS_LOG_MAX_EVENTS,
    ...retentionArgs(options),
  };
  const retentionKeys = { archive: keys.archive(), retention: keys.retentionSchedule() };
  const stageEvents = createStageEventWriter<ProgressEvent>(async (writes) => {
    const ids = await runScript(redis, appendStageEvents, {
      keys: {},
      args: { channel: keys.progressChannel(), progressLogMax: PROGRESS_LOG_MAX_EVENTS },
      items: writes.map((write) => ({
        keys: { job: keys.job(write.analysisId), progress: keys.progress(write.analysisId) },
        args: { owner: write.ownerToken, event: eventJson(write.event) },
      })),
    });
    return ids.map((id) => id !== null);
  });

  /** Blocks on `blocking` (a connection of its own) for up to blockMs; 0 does not wait (a look at a partition). */
  async function readNew(
    blocking: RedisClient,
    consumer: string,
    count: number,
    blockMs: number,
  ): Promise<StreamEntry[]> {
    const readAt = Date.now();
    try {
      const reply: unknown =
        blockMs > 0
          ? await blocking.xreadgroup(
              'GROUP',
              keys.group,
              consumer,
              'COUNT',
              count,
              'BLOCK',
              blockMs,
              'STREAMS',
              keys.stream,
              '>',
            )
          : await blocking.xreadgroup('GROUP', keys.group, consumer, 'COUNT', count, 'STREAMS', keys.stream, '>');
      return entriesOf(readReply(reply), { fresh: true, readAt });
    } catch (error) {
      // The stream or group is gone (a Redis that restarted without persistence, a flush):
      // recreate it, so the next read works; this one still reports the failure.
      if (String(error).includes('NOGROUP')) await ensureConsumerGroup(redis, keys);
      throw error;
    }
  }

  /** This consumer's own delivered-but-unacknowledged entries: after a restart of the actor, they are still its to finish. */
  async function readOwnPending(blocking: RedisClient, consumer: string, count: number): Promise<StreamEntry[]> {
    const reply: unknown = await blocking.xreadgroup(
      'GROUP',
      keys.group,
      consumer,
      'COUNT',
      count,
      'STREAMS',
      keys.stream,
      '0',
    );
    return entriesOf(readReply(reply));
  }

  /** Pending entries held by one consumer (0 means it can be deleted from the group safely). */
  async function pendingCount(consumer: string): Promise<number> {
    return pendingCountReply(await redis.xpending(keys.stream, keys.group, '-', '+', 1, consumer));
  }

  async function removeConsumer(consumer: string): Promise<void> {
    await redis.xgroup('DELCONSUMER', keys.stream, keys.group, consumer);
  }

  /** Deletes the consumer from the group only if nothing is pending for it, atomically; otherwise leaves it for the reclaimer. */
  async function removeConsumerIfIdle(consumer: string): Promise<{ removed: boolean; pending: number }> {
    return runScript(redis, deregisterConsumer, {
      keys: { stream: keys.stream },
      args: { group: keys.group, consumer },
    });
  }

  /** Claims entries for `consumer`; poison entries are dead-lettered and cancelled jobs ended instead. */
  async function claimBatch(
    entries: readonly StreamEntry[],
    ownerTokenFor: (entry: StreamEntry) => string,
    consumer: string,
  ): Promise<ClaimReport> {
    if (entries.length === 0) return { claimed: [], skipped: [] };
    const tokens = entries.map(ownerTokenFor);
    const now = Date.now();
    const started = progressEvent('processing', 'started', 0.05, `worker ${consumer} started the analysis`);
    const replies = await runScript(redis, claimJobs, {
      keys: {
        stream: keys.stream,
        deadLetters: keys.deadLetters(),
        deadLetterIndex: keys.deadLetterIndex(),
        ...retentionKeys,
      },
      args: {
        ...ending,
        now,
        maxDeliveries,
        consumer,
        deadLetterMax,
        startedEvent: eventJson(started),
        claimedFields: CLAIMED_FIELDS,
      },
      items: entries.map((entry, index) => ({
        keys: { job: keys.job(entry.analysisId), progress: keys.progress(entry.analysisId) },
        args: { entryId: entry.entryId, owner: tokens[index]!, fresh: isFresh(entry, now) ? '1' : '0' },
      })),
    });
    const report: ClaimReport = { claimed: [], skipped: [] };
    replies.forEach((reply, index) => {
      const entry = entries[index]!;
      if (reply.outcome === 'skipped') {
        report.skipped.push({ analysisId: entry.analysisId, reason: reply.reason });
        return;
      }
      const { record, scanId } = recordFromValues(reply.values, 0, entry.analysisId);
      if (!record) return;
      report.claimed.push({
        entryId: entry.entryId,
        ownerToken: tokens[index]!,
        record,
        takenOver: reply.outcome === 'taken-over',
        ...(scanId ? { scanId } : {}),
      });
    });
    return report;
  }

  /** Per job: still owned (claim refreshed), owned with a cancel request, or lost. */
  async function refreshClaimStates(
    consumer: string,
    jobs: readonly { analysisId: string; entryId: string; ownerToken: string }[],
  ): Promise<ClaimState[]> {
    if (jobs.length === 0) return [];
    return runScript(redis, refreshClaimsScript, {
      keys: { stream: keys.stream },
      args: { group: keys.group, consumer },
      items: jobs.map((job) => ({
        keys: { job: keys.job(job.analysisId) },
        args: { entryId: job.entryId, owner: job.ownerToken },
      })),
    });
  }

  /** A run this owner gives up on purpose (shutdown): its takeover will not count it as a crashed run. */
  async function releaseRun(analysisId: string, ownerToken: string): Promise<void> {
    stageEvents.flush();
    await runScript(redis, releaseRunScript, { keys: { job: keys.job(analysisId) }, args: { owner: ownerToken } });
  }

  /** Ends a failed attempt: a retry scheduled in Redis, or the dead-letter stream once retries are used up. */
  async function retry(request: RetryRequest): Promise<RetryResult> {
    stageEvents.flush();
    return runScript(redis, retryJob, {
      keys: {
        stream: keys.stream,
        job: keys.job(request.analysisId),
        progress: keys.progress(request.analysisId),
        schedule: keys.retrySchedule(),
        deadLetters: keys.deadLetters(),
        deadLetterIndex: keys.deadLetterIndex(),
        ...retentionKeys,
      },
      args: {
        ...ending,
        now: Date.now(),
        deadLetterMax,
        entryId: request.entryId,
        owner: request.ownerToken,
        error: request.error,
        node: request.node,
        maxRetries: request.maxRetries,
        dueAt: request.dueAt,
        retryingEvent: eventJson(request.event),
      },
    });
  }

  /** One XAUTOCLAIM call; follow the returned cursor until it is `0-0`. */
  async function takeOverIdle(
    consumer: string,
    minIdleMs: number,
    count: number,
    cursor: string,
  ): Promise<{ cursor: string; entries: StreamEntry[] }> {
    const { cursor: next, entries } = autoclaimReply(
      await redis.xautoclaim(keys.stream, keys.group, consumer, minIdleMs, cursor, 'COUNT', count),
    );
    return { cursor: next, entries: entriesOf(entries) };
  }

  /** Stage events for a job this owner still holds; false when it no longer does. */
  function appendProgress(analysisId: string, ownerToken: string, event: ProgressEvent): Promise<boolean> {
    return stageEvents.append(analysisId, ownerToken, event);
  }

  /** Per job, the terminal status written (a cancel request can turn `completed` into `cancelled`), or undefined when this owner had lost it. */
  async function finishWithStatus(
    requests: readonly FinishRequest[],
  ): Promise<(FinishRequest['status'] | undefined)[]> {
    if (requests.length === 0) return [];
    stageEvents.flush();
    const results = await runScript(redis, finishJobs, {
      keys: { stream: keys.stream, ...retentionKeys, ...admissionScriptKeys(keys) },
      args: { ...ending, now: Date.now(), admissionLimit: admissionLimit(options) },
      items: requests.map((request) => {
        return {
          keys: { job: keys.job(request.analysisId), progress: keys.progress(request.analysisId) },
          args: {
            entryId: request.entryId,
            owner: request.ownerToken,
            status: request.status,
            event: eventJson(request.event),
            fields: resultFields(request.result),
          },
        };
      }),
    });
    return results.map((result, index) =>
      result === 'finished' ? requests[index]!.status : result === 'cancelled' ? 'cancelled' : undefined,
    );
  }

  /** Removes acknowledged entries from the stream; returns how many. */
  async function trimAcknowledged(): Promise<number> {
    return runScript(redis, trimStream, { keys: { stream: keys.stream }, args: { group: keys.group } });
  }

  return {
    readNew,
    readOwnPending,
    pendingCount,
    removeConsumer,
    removeConsumerIfIdle,
    claimBatch,
    refreshClaimStates,
    releaseRun,
    retry,
    takeOverIdle,
    appendProgress,
    finishWithStatus,
    trimAcknowledged,
  };
}

export type ConsumerQueue = ReturnType<typeof createConsumerQueue>;
