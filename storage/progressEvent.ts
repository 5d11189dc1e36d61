/**
 * Progress events: appended to each job's capped log (replay) and published live. A caller's
 * event goes to the scripts as JSON built here (eventJson); the events a script decides itself
 * (a cancel, a poison entry) it builds in storage/lua/includes/progressEvent.lua, in the same
 * form. What comes back (the log, the channel) is parsed and checked here.
 */
import { JOB_STATUSES, type JobStatus } from './jobRecord.js';

export const PROGRESS_STAGES = [
  'queued',
  'started',
  'candles',
  'patterns',
  'chart',
  'summary',
  'retrying',
  /** A processing job taken over from a worker that went silent. */
  'reclaimed',
  'finished',
] as const;
export type ProgressStage = (typeof PROGRESS_STAGES)[number];

export interface ProgressEvent {
  status: JobStatus;
  stage: ProgressStage;
  /** Share of the work done, 0 to 1. */
  progress: number;
  message: string;
  at: number;
  /**
   * On a failed job's final event, its error. A completed job's result is not stored with its
   * event: followers attach it from the job's record as they send the event.
   */
  data?: Record<string, unknown>;
}

export interface PublishedProgress {
  analysis_id: string;
  event_id: string;
  event: ProgressEvent;
}

export function progressEvent(
  status: JobStatus,
  stage: ProgressStage,
  progress: number,
  message: string,
  data?: Record<string, unknown>,
): ProgressEvent {
  return data === undefined
    ? { status, stage, progress, message, at: Date.now() }
    : { status, stage, progress, message, at: Date.now(), data };
}

/**
 * An event as the scripts take it: its JSON, which they log and publish as sent. Built here,
 * not from its six fields inside the script: each field was an argument for redis-server to
 * parse and hand to Lua, and the concatenation and escaping cost it more than JSON.stringify
 * costs the caller (a finish's event about 8k of its instructions). Progress and at must be
 * finite numbers (JSON has no NaN), status and stage known words.
 */
export function eventJson(event: ProgressEvent): string {
  if (!Number.isFinite(event.progress) || !Number.isFinite(event.at))
    throw new RangeError(`progress event numbers must be finite (progress ${event.progress}, at ${event.at})`);
  if (
    !(JOB_STATUSES as readonly string[]).includes(event.status) ||
    !(PROGRESS_STAGES as readonly string[]).includes(event.stage)
  )
    throw new RangeError(`progress event status ${event.status} or stage ${event.stage} is not a known one`);
  // The keys in the order the scripts' own events have them (storage/lua/includes/progressEvent.lua);
  // an undefined data is left out by JSON.stringify.
  const { status, stage, progress, message, at, data } = event;
  return JSON.stringify({ status, stage, progress, message, at, data });
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks an event read back from the log or the channel; undefined when it is not one. */
export function parseProgressEvent(value: unknown): ProgressEvent | undefined {
  if (!isRecord(value)) return undefined;
  const { status, stage, progress, message, at, data } = value;
  if (typeof status !== 'string' || !(JOB_STATUSES as readonly string[]).includes(status)) return undefined;
  if (typeof stage !== 'string' || !(PROGRESS_STAGES as readonly string[]).includes(stage)) return undefined;
  if (typeof progress !== 'number' || typeof message !== 'string' || typeof at !== 'number') return undefined;
  if (data !== undefined && !isRecord(data)) return undefined;
  const event: ProgressEvent = { status: status as JobStatus, stage: stage as ProgressStage, progress, message, at };
  if (data !== undefined) event.data = data;
  return event;
}

/** Parses a message published on the progress channel: { analysis_id, event_id, event }; undefined when malformed. */
export function parsePublishedProgress(text: string): PublishedProgress | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || typeof value.analysis_id !== 'string' || typeof value.event_id !== 'string') return undefined;
  const event = parseProgressEvent(value.event);
  return event && { analysis_id: value.analysis_id, event_id: value.event_id, event };
}
