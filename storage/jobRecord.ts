/** The job record, as stored in the job hash and as returned to clients. */
import { reportCorruptRecord } from './corruptRecords.js';

export const JOB_STATUSES = ['queued', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export type SummarySource = 'llm' | 'rule-based';

export interface JobRequest {
  user_id: string;
  symbol: string;
  interval: string;
  timeframe: string;
}

export interface JobRecord extends JobRequest {
  analysis_id: string;
  status: JobStatus;
  created_at: string;
  updated_at: string;
  attempts: number;
  error: string | null;
  image_url: string | null;
  llm_summary: string | null;
  summary_source: SummarySource | null;
  analysis_data: unknown;
  /** Set on a scheduled scan's children: only candles opening before this (epoch ms), the closed ones, are analysed. */
  candles_until?: number;
}

/** Fields the worker writes when it finishes a job. */
export interface JobResult {
  image_url?: string;
  llm_summary?: string;
  summary_source?: SummarySource;
  analysis_data?: unknown;
  error?: string;
}

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

const iso = (epochMs: string | undefined) => new Date(Number(epochMs ?? 0)).toISOString();
const orNull = (value: string | undefined) => (value === undefined || value === '' ? null : value);

function parseAnalysisData(text: string | undefined, analysisId: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    reportCorruptRecord(analysisId, 'analysis_data', text.slice(0, 200));
    return null;
  }
}

const isStatus = (value: string): value is JobStatus => (JOB_STATUSES as readonly string[]).includes(value);

/**
 * The record in a job hash; undefined for an empty hash (no such job). A hash that exists but
 * is not a job record (no id, no or an unknown status) is reported as corrupt and read as no job;
 * `analysisId` names it in that report when the hash lacks its own id.
 */
export function recordFromHash(hash: Record<string, string>, analysisId?: string): JobRecord | undefined {
  const id = hash.analysis_id ?? analysisId ?? 'unknown';
  if (Object.keys(hash).length === 0) return undefined;
  if (!hash.analysis_id) {
    reportCorruptRecord(id, 'analysis_id', 'missing');
    return undefined;
  }
  if (!hash.status || !isStatus(hash.status)) {
    reportCorruptRecord(id, 'status', hash.status ?? 'missing');
    return undefined;
  }
  return {
    analysis_id: hash.analysis_id,
    user_id: hash.user_id ?? '',
    symbol: hash.symbol ?? '',
    interval: hash.interval ?? '',
    timeframe: hash.timeframe ?? '',
    status: hash.status,
    created_at: iso(hash.created_at),
    updated_at: iso(hash.updated_at),
    attempts: Number(hash.attempts ?? 0),
    error: orNull(hash.error),
    image_url: orNull(hash.image_url),
    llm_summary: orNull(hash.llm_summary),
    summary_source: orNull(hash.summary_source) as SummarySource | null,
    analysis_data: parseAnalysisData(hash.analysis_data, hash.analysis_id),
    ...(hash.candles_until ? { candles_until: Number(hash.candles_until) } : {}),
  };
}

/** Flat field/value pairs for HSET; analysis_data is stored as JSON text. */
export function resultFields(result: JobResult): string[] {
  const fields: string[] = [];
  for (const [field, value] of Object.entries(result)) {
    if (value === undefined) continue;
    fields.push(field, field === 'analysis_data' ? JSON.stringify(value) : String(value));
  }
  return fields;
}

/**
 * The result as JSON text (JSON.stringify(result)'s text), from the fields resultFields made
 * of it: analysis_data (tens of KB) is serialised once for the record and the completed event.
 */
export function resultJsonFromFields(result: JobResult, fields: readonly string[]): string {
  let json = '{';
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const field = fields[index] as keyof JobResult;
    const text = field === 'analysis_data' ? fields[index + 1] : JSON.stringify(result[field]);
    // As JSON.stringify drops a value with no JSON form.
    if (text === undefined) continue;
    json += `${json.length > 1 ? ',' : ''}${JSON.stringify(field)}:${text}`;
  }
  return `${json}}`;
}

/** Field/value pairs from `from` on (a reply may lead with something else) as a hash. */
export function pairsToHash(pairs: readonly string[], from = 0): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let index = from; index + 1 < pairs.length; index += 2) hash[pairs[index]!] = pairs[index + 1]!;
  return hash;
}
