/** How much the queue keeps, and for how long: passed to the Lua scripts, never repeated in them. */

/** A job's progress log keeps about this many events (XADD MAXLEN ~). */
export const PROGRESS_LOG_MAX_EVENTS = 500;
/** How long a terminal job's progress log is kept. */
export const TERMINAL_PROGRESS_TTL_SECONDS = 7 * 24 * 3600;
/** How long an idempotency key keeps naming the analysis it queued. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** Letters kept on the dead-letter stream (ANALYSIS_DEAD_LETTER_MAX); the oldest go first. */
export const DEFAULT_DEAD_LETTER_MAX = 10_000;
