/**
 * The dead-letter stream (`{market-analysis-jobs}:dead-letters`): jobs that failed after
 * ANALYSIS_MAX_RETRIES retries, or poison entries delivered too many times. Listing shows each
 * with its job's attempt history; replaying gives a job fresh attempts, keeps its history,
 * queues it under a new stream entry and removes it from the dead letters.
 * Used by `candela dlq` and the admin procedures `queue.deadLetters` / `queue.replay`.
 */
import { type JobRecord, pairsToHash, recordFromHash } from './jobRecord.js';
import type { QueueKeys } from './keys.js';
import { eventArgs, progressEvent } from './progressEvent.js';
import type { RedisClient } from './redisConnection.js';
import { PROGRESS_LOG_MAX_EVENTS } from './retention.js';
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

type StreamEntries = [string, string[]][];

export function createDeadLetters(redis: RedisClient, keys: QueueKeys) {
  async function list(options: { limit?: number } = {}): Promise<DeadLetter[]> {
    const entries = (await redis.xrange(keys.deadLetters(), '-', '+', 'COUNT', options.limit ?? 1000)) as StreamEntries;
    return Promise.all(
      entries.map(async ([id, pairs]) => {
        const fields = pairsToHash(pairs);
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

  async function replayEntry(deadLetterId: string, analysisId: string): Promise<ReplayResult> {
    const entryId = await runScript(redis, replayDeadLetter, {
      keys: { stream: keys.stream, job: keys.job(analysisId), deadLetters: keys.deadLetters(), progress: keys.progress(analysisId) },
      args: { letterId: deadLetterId, now: Date.now(), channel: keys.progressChannel(), progressLogMax: PROGRESS_LOG_MAX_EVENTS, event: eventArgs(progressEvent('queued', 'queued', 0, 'replayed from the dead-letter stream')) },
    });
    return { analysis_id: analysisId, replayed: entryId !== null };
  }

  /** Replays one job by its analysis id; undefined when it is not on the dead-letter stream. */
  async function replay(analysisId: string): Promise<ReplayResult | undefined> {
    const letter = (await list({ limit: 100_000 })).find((entry) => entry.analysis_id === analysisId);
    return letter ? replayEntry(letter.dead_letter_id, analysisId) : undefined;
  }

  async function replayAll(): Promise<ReplayResult[]> {
    const results: ReplayResult[] = [];
    for (const letter of await list({ limit: 100_000 })) results.push(await replayEntry(letter.dead_letter_id, letter.analysis_id));
    return results;
  }

  return { list, replay, replayAll };
}

export type DeadLetters = ReturnType<typeof createDeadLetters>;
