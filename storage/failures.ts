/**
 * Failure classes shared by every I/O adapter, so supervisors can decide by class:
 * a PermanentFailure ends the job `failed` at once, a RetryableFailure is retried with backoff.
 * Anything else thrown is treated as retryable (an unknown failure deserves a second try).
 */
export class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
}

export class RetryableFailure extends Error {
  override readonly name = 'RetryableFailure';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isPermanent(error: unknown): boolean {
  return error instanceof PermanentFailure;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
