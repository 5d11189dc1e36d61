/** A schedule as stored in its hash and as returned to clients. */
import { type Interval, isInterval } from '../../analysis/intervals.js';

export const SCHEDULE_STATUSES = ['active', 'paused'] as const;
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];

export interface ScheduleRequest {
  symbols: string[];
  intervals: Interval[];
  timeframe: string;
  /** Alert rules of the same user this schedule is meant to feed (each must exist). */
  alert_rules: string[];
}

export interface ScheduleRecord extends ScheduleRequest {
  schedule_id: string;
  user_id: string;
  status: ScheduleStatus;
  created_at: string;
  updated_at: string;
  /** Scans created, and runs skipped because the user was at the active-job cap. */
  runs: number;
  skipped_runs: number;
  last_scan_id: string | null;
  last_run_at: string | null;
  /** Per interval, the open time (ISO) of the last bar a run was claimed for. */
  last_bars: Partial<Record<Interval, string>>;
}

const iso = (epochMs: string | undefined) => new Date(Number(epochMs ?? 0)).toISOString();
const splitList = (text: string | undefined) => (text ? text.split(',') : []);
const isStatus = (value: string | undefined): value is ScheduleStatus =>
  value !== undefined && (SCHEDULE_STATUSES as readonly string[]).includes(value);

export function scheduleFromHash(hash: Record<string, string>): ScheduleRecord | undefined {
  if (!hash.schedule_id || !isStatus(hash.status)) return undefined;
  const intervals = splitList(hash.intervals).filter(isInterval);
  const lastBars: Partial<Record<Interval, string>> = {};
  for (const interval of intervals) {
    const bar = hash[`last_bar:${interval}`];
    if (bar !== undefined) lastBars[interval] = iso(bar);
  }
  return {
    schedule_id: hash.schedule_id,
    user_id: hash.user_id ?? '',
    symbols: splitList(hash.symbols),
    intervals,
    timeframe: hash.timeframe ?? '',
    alert_rules: splitList(hash.alert_rules),
    status: hash.status,
    created_at: iso(hash.created_at),
    updated_at: iso(hash.updated_at),
    runs: Number(hash.runs ?? 0),
    skipped_runs: Number(hash.skipped_runs ?? 0),
    last_scan_id: hash.last_scan_id ?? null,
    last_run_at: hash.last_run_at ? iso(hash.last_run_at) : null,
    last_bars: lastBars,
  };
}
