/**
 * A finished analysis as stored in the `analyses` collection: the job record that Redis
 * serves, with its times as BSON dates (so ranges, sorting and the TTL index work on them)
 * and `finished_at`, the moment it became terminal, which the TTL index expires from.
 */
import { isTerminal, type JobRecord, type JobStatus, type SummarySource } from '../jobRecord.js';

export interface AnalysisDocument {
  analysis_id: string;
  user_id: string;
  symbol: string;
  interval: string;
  timeframe: string;
  status: JobStatus;
  created_at: Date;
  updated_at: Date;
  finished_at: Date;
  attempts: number;
  error: string | null;
  image_url: string | null;
  llm_summary: string | null;
  summary_source: SummarySource | null;
  analysis_data: unknown;
}

function dateOf(record: JobRecord, field: 'created_at' | 'updated_at'): Date {
  const date = new Date(record[field]);
  if (Number.isNaN(date.getTime()))
    throw new Error(
      `analysis ${record.analysis_id}: ${field} ${JSON.stringify(record[field])} is not a date; nothing archived`,
    );
  return date;
}

export function documentFromRecord(record: JobRecord): AnalysisDocument {
  if (!isTerminal(record.status))
    throw new Error(
      `analysis ${record.analysis_id} is ${record.status}; only completed, failed or cancelled analyses are archived`,
    );
  const updatedAt = dateOf(record, 'updated_at');
  return {
    analysis_id: record.analysis_id,
    user_id: record.user_id,
    symbol: record.symbol,
    interval: record.interval,
    timeframe: record.timeframe,
    status: record.status,
    created_at: dateOf(record, 'created_at'),
    updated_at: updatedAt,
    // A terminal record is last updated when it finishes.
    finished_at: updatedAt,
    attempts: record.attempts,
    error: record.error,
    image_url: record.image_url,
    llm_summary: record.llm_summary,
    summary_source: record.summary_source,
    analysis_data: record.analysis_data ?? null,
  };
}

export function recordFromDocument(document: AnalysisDocument): JobRecord {
  return {
    analysis_id: document.analysis_id,
    user_id: document.user_id,
    symbol: document.symbol,
    interval: document.interval,
    timeframe: document.timeframe,
    status: document.status,
    created_at: document.created_at.toISOString(),
    updated_at: document.updated_at.toISOString(),
    attempts: document.attempts,
    error: document.error ?? null,
    image_url: document.image_url ?? null,
    llm_summary: document.llm_summary ?? null,
    summary_source: document.summary_source ?? null,
    analysis_data: document.analysis_data ?? null,
  };
}
