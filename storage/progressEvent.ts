/** Progress events: appended to each job's capped log (replay) and published live. */
import type { JobStatus } from './jobRecord.js';

export type ProgressStage = 'queued' | 'started' | 'candles' | 'patterns' | 'chart' | 'summary' | 'retrying' | 'finished';

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
