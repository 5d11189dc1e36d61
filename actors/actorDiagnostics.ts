/**
 * Errors the actors cannot hand to anyone (a message to an actor that is gone, a crash report
 * that itself failed, a lost progress event) are logged here with the job id when there is
 * one, and counted, so they are seen on /metrics rather than lost. The worker node installs
 * its logger; until then a logger of its own writes to stderr.
 */
import { Counter } from 'prom-client';
import { createLogger, type Logger } from '../config/logger.js';

export type SwallowedErrorKind =
  'send-failed' | 'late-message-dropped' | 'crash-report-failed' | 'progress-write-failed';

/** Not in any registry by itself: the worker metrics server registers it in its own. */
export const swallowedErrors = new Counter({
  name: 'candela_worker_swallowed_errors_total',
  help: 'Errors and messages actors dropped instead of handing on, by kind',
  labelNames: ['kind'],
  registers: [],
});

let log: Logger | undefined;

export function useActorLogger(next: Logger): void {
  log = next;
}

/** The logger actors without one of their own write to. */
export function actorLogger(): Logger {
  log ??= createLogger('candela-actors');
  return log;
}

export interface SwallowedErrorContext {
  analysisId?: string;
  [field: string]: unknown;
}

export function reportSwallowed(
  kind: SwallowedErrorKind,
  context: SwallowedErrorContext,
  error: unknown,
  message: string,
): void {
  swallowedErrors.inc({ kind });
  // Late messages are routine (a Redis reply arriving after its job ended): counted, logged only when debugging.
  const level = kind === 'late-message-dropped' ? 'debug' : 'warn';
  actorLogger()[level]({ ...context, kind, ...(error === undefined ? {} : { err: error }) }, message);
}
