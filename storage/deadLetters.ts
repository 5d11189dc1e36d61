/**
 * The dead-letter stream (`{market-analysis-jobs}:dead-letters`): jobs that failed after
 * ANALYSIS_MAX_RETRIES retries, or poison entries delivered too many times. Listing shows each
 * with its job's attempt history; replaying gives a job fresh attempts, keeps its history,
 * queues it under a new stream entry and removes it from the dead letters. The stream is
 * capped (ANALYSIS_DEAD_LETTER_MAX) and indexed by job id, so a replay reads one letter.
 * Used by `candela dlq` and the admin procedures `queue.deadLetters` / `queue.replay`.
 */
import { type JobRecord, pairsToHash, recordFromHash } from './jobRecord.js';
import type { QueueKeys } from './keys.js';
import { ActiveJobLimitReached, withinCap } from './activeJobs.js';
import { eventJson, progressEvent } from './progressEvent.js';
import type { RedisClient } from './redisConnection.js';
import { PROGRESS_LOG_MAX_EVENTS } from './retention.js';
import { rangeReply } from './streamReplies.js';
import { runScript } from './scripts/runScript.js';
import { replayDeadLetter } from './scripts/scriptTable.js';
import { type JobAttempt, parseHistory } from './jobAttempts.js';

export interface DeadLetter {
  /** The dead-letter stream entry id. */
  dead_letter_id: string;
  analysis_id: string;
  error: string;
  /** Retries the job had used when it was dead-lettered. */
  attempts: number;
  /** When it was dead-lettered (ISO time). */
  at: string;
  history: JobAttempt[];
  job: JobRecord | null;
}

export interface ReplayResult {
  analysis_id: string;
  /** False when the job was no longer `failed` (nothing to replay); its dead letter is removed anyway. */
  replayed: boolean;
}

export interface DeadLetterOptions {
  /** A replayed job counts against its user's cap on active jobs, as a new one does. */
  maxActiveJobsPerUser?: number;
}

export function createDeadLetters(redis: RedisClient, keys: QueueKeys, options: DeadLetterOptions = {}) {
  const maxActive = options.maxActiveJobsPerUser ?? Number.MAX_SAFE_INTEGER;

  async function list(options: { limit?: number } = {}): Promise<DeadLetter[]> {
    const entries = rangeReply(await redis.xrange(keys.deadLetters(), '-', '+', 'COUNT', options.limit ?? 1000));
    return Promise.all(
      entries.map(async ({ id, fields: pairs }) => {
        const fields = pairsToHash(pairs ?? []);
        const analysisId = fields.analysis_id ?? '';
        const hash = await redis.hgetall(keys.job(analysisId));
        return {
          dead_letter_id: id,
          analysis_id: analysisId,
          error: fields.error ?? '',
          attempts: Number(fields.attempts ?? 0),
          at: new Date(Number(fields.at ?? 0)).toISOString(),
          history: parseHistory(hash.history, analysisId),
          job: recordFromHash(hash, analysisId) ?? null,
        };
      }),
    );
  }

  /** Throws ActiveJobLimitReached when the job's user is at the cap (the letter stays). */
  async function replayEntry(deadLetterId: string, analysisId: string): Promise<ReplayResult> {
    const userId = (await redis.hget(keys.job(analysisId), 'user_id')) ?? '';
    const call = {
      keys: {
        stream: keys.stream,
        job: keys.job(analysisId),
        deadLetters: keys.deadLetters(),
        deadLetterIndex: keys.deadLetterIndex(),
        progress: keys.progress(analysisId),
        userActive: keys.userActiveJobs(userId, keys.partition),
      },
      args: {
        letterId: deadLetterId,
        now: Date.now(),
        channel: keys.progressChannel(),
        progressLogMax: PROGRESS_LOG_MAX_EVENTS,
        maxActive,
        event: eventJson(progressEvent('queued', 'queued', 0, 'replayed from the dead-letter stream')),
      },
    };
    const reply = await withinCap(redis, keys, userId, maxActive, () => runScript(redis, replayDeadLetter, call));
    return { analysis_id: analysisId, replayed: reply.outcome === 'replayed' };
  }

  /** Replays one job by its analysis id, found through the letters' index; undefined when it is not on the dead-letter stream. */
  async function replay(analysisId: string): Promise<ReplayResult | undefined> {
    const letterId = await redis.hget(keys.deadLetterIndex(), analysisId);
    return letterId ? replayEntry(letterId, analysisId) : undefined;
  }

  /** Replays every letter; one whose user is at the cap stays on the stream and is reported not replayed. */
  async function replayAll(): Promise<ReplayResult[]> {
    const results: ReplayResult[] = [];
    for (const { id: letterId, fields } of rangeReply(await redis.xrange(keys.deadLetters(), '-', '+'))) {
      const analysisId = pairsToHash(fields ?? []).analysis_id ?? '';
      try {
        results.push(await replayEntry(letterId, analysisId));
      } catch (error) {
        if (!(error instanceof ActiveJobLimitReached)) throw error;
        results.push({ analysis_id: analysisId, replayed: false });
      }
    }
    return results;
  }

  return { list, replay, replayAll };
}

export type DeadLetters = ReturnType<typeof createDeadLetters>;
