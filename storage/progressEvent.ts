/**
 * Progress events: appended to each job's capped log (replay) and published live. Their JSON
 * is built in one place, inside the scripts (storage/lua/includes/progressEvent.lua), from the
 * fields given here; what comes back (the log, the channel) is parsed and checked here.
 */
import { JOB_STATUSES, type JobStatus } from './jobRecord.js';

export const PROGRESS_STAGES = ['queued', 'started', 'candles', 'patterns', 'chart', 'summary', 'retrying', 'finished'] as const;
export type ProgressStage = (typeof PROGRESS_STAGES)[number];

export interface ProgressEvent {
  status: JobStatus;
  stage: ProgressStage;
  /** Share of the work done, 0 to 1. */
  progress: number;
  message: string;
  at: number;
  /** Present on the final event of a job. */
  data?: Record<string, unknown>;
}

export interface PublishedProgress {
  analysis_id: string;
  event_id: string;
  event: ProgressEvent;
}

export function progressEvent(status: JobStatus, stage: ProgressStage, progress: number, message: string, data?: Record<string, unknown>): ProgressEvent {
  return data === undefined ? { status, stage, progress, message, at: Date.now() } : { status, stage, progress, message, at: Date.now(), data };
}

/** An event as the scripts take it: status, stage, progress, message, at, then data as JSON text ('' for none). */
export function eventArgs(event: ProgressEvent): (string | number)[] {
  return [event.status, event.stage, event.progress, event.message, event.at, event.data === undefined ? '' : JSON.stringify(event.data)];
}
