/** How much the queue keeps, and for how long: passed to the Lua scripts, never repeated in them. */

/** A job's progress log keeps about this many events (XADD MAXLEN ~). */
export const PROGRESS_LOG_MAX_EVENTS = 500;
/** How long a terminal job's progress log is kept. */
export const TERMINAL_PROGRESS_TTL_SECONDS = 7 * 24 * 3600;
/** How long an idempotency key keeps naming the analysis it queued when results are kept forever. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** ANALYSIS_RESULT_TTL's default: a finished job stays in Redis this long after it ends. */
export const DEFAULT_RESULT_TTL_SECONDS = 7 * 24 * 3600;

/** What the scripts that end a job are told about retention. */
export interface RetentionSettings {
  /** Seconds a terminal job's record, progress log and user-index entries stay in Redis (0: forever). */
  resultTtlSeconds?: number;
  /** Terminal ids go on the archive stream for MongoDB, and expire once archived. */
  archiving?: boolean;
}

/** The script arguments for a retention policy; the progress log keeps its own default TTL when results are kept forever. */
export function retentionArgs(settings: RetentionSettings = {}) {
  const resultTtl = settings.resultTtlSeconds ?? 0;
  return {
    resultTtl,
    archiving: settings.archiving === true ? '1' : '0',
    progressTtl: resultTtl > 0 ? resultTtl : TERMINAL_PROGRESS_TTL_SECONDS,
  };
}

/**
 * An idempotency key's own expiry, set when it is written. With a result TTL the retention
 * sweeper deletes the key when its job expires, so it names its analysis exactly as long as the
 * analysis is in Redis; this expiry only bounds a key whose job never ends, or ends on a worker
 * configured to keep results forever.
 */
export function idempotencyKeyTtl(resultTtlSeconds: number): number {
  return IDEMPOTENCY_TTL_SECONDS + Math.max(0, resultTtlSeconds);
}

/** Letters kept on the dead-letter stream (ANALYSIS_DEAD_LETTER_MAX); the oldest go first. */
export const DEFAULT_DEAD_LETTER_MAX = 10_000;
