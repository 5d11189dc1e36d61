/** A scan as stored in its hash and as returned to clients, and one child's row of the scan's result table. */
import { isAnalysisData, recentSignals, type RecentSignals } from '../../analysis/recentSignals.js';
import { type JobStatus, JOB_STATUSES } from '../jobRecord.js';

export type ScanStatus = JobStatus;

export interface ScanRequest {
  symbols: string[];
  intervals: string[];
  timeframe: string;
}

export interface ScanRecord extends ScanRequest {
  scan_id: string;
  user_id: string;
  status: ScanStatus;
  /** Children in all, and how many have ended, by how. */
  total: number;
  done: number;
  completed: number;
  failed: number;
  cancelled: number;
  progress: number;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  /** Set on the scans a schedule created. */
  schedule_id?: string;
}

export interface ScanChild {
  analysis_id: string;
  symbol: string;
  interval: string;
  status: JobStatus;
  error: string | null;
  /** Set once the child completed: what it found in the last bars. */
  result: RecentSignals | null;
}

const iso = (epochMs: string | undefined) => new Date(Number(epochMs ?? 0)).toISOString();
const isStatus = (value: string | undefined): value is JobStatus =>
  value !== undefined && (JOB_STATUSES as readonly string[]).includes(value);

function splitList(text: string | undefined): string[] {
  return text ? text.split(',') : [];
}

export function scanFromHash(hash: Record<string, string>): ScanRecord | undefined {
  if (!hash.scan_id || !isStatus(hash.status)) return undefined;
  const total = Number(hash.total ?? 0);
  const done = Number(hash.done ?? 0);
  return {
    scan_id: hash.scan_id,
    user_id: hash.user_id ?? '',
    symbols: splitList(hash.symbols),
    intervals: splitList(hash.intervals),
    timeframe: hash.timeframe ?? '',
    status: hash.status,
    total,
    done,
    completed: Number(hash.completed ?? 0),
    failed: Number(hash.failed ?? 0),
    cancelled: Number(hash.cancelled ?? 0),
    progress: total === 0 ? 0 : done / total,
    created_at: iso(hash.created_at),
    updated_at: iso(hash.updated_at),
    finished_at: hash.finished_at ? iso(hash.finished_at) : null,
    ...(hash.schedule_id ? { schedule_id: hash.schedule_id } : {}),
  };
}

/** The child fields a scan reads, in HMGET order. */
export const CHILD_FIELDS = ['status', 'symbol', 'interval', 'error', 'analysis_data'] as const;

function parseData(text: string | null): RecentSignals | null {
  if (!text) return null;
  try {
    const data: unknown = JSON.parse(text);
    return isAnalysisData(data) ? recentSignals(data) : null;
  } catch {
    return null;
  }
}

/** One child's row from its HMGET reply; a child whose record expired reads as failed. */
export function childFromFields(analysisId: string, values: readonly (string | null)[]): ScanChild {
  const [stored, symbol, interval, error, data] = values;
  const status = stored ?? undefined;
  const known = isStatus(status);
  return {
    analysis_id: analysisId,
    symbol: symbol ?? '',
    interval: interval ?? '',
    status: known ? status : 'failed',
    error: known ? (error ?? null) : 'the analysis record is gone',
    result: status === 'completed' ? parseData(data ?? null) : null,
  };
}
