/** Small display helpers shared by the views. */
export const STATUSES = ['queued', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];

export const isActive = (status: string): boolean => status === 'queued' || status === 'processing';

export function formatTime(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString(undefined, { hour12: false });
}

export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString(undefined, { maximumFractionDigits: digits });
}

export const percent = (fraction: number): number => Math.round(Math.min(1, Math.max(0, fraction)) * 100);

export function formatAge(ms: number): string {
  if (ms < 1000) return 'just now';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min ago` : `${Math.round(minutes / 60)} h ago`;
}
