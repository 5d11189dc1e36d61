/** One frame of `candela scan`, as text: the scan's progress line and a row per child. Pure, so its shape is tested without a terminal. */
import { textTable } from './textTable.js';

export interface ScanFrameChild {
  symbol: string;
  interval: string;
  status: string;
  error: string | null;
  result: {
    patterns: readonly { pattern: string; direction: string }[];
    trend: { direction: string };
    support: { price: number } | null;
    resistance: { price: number } | null;
  } | null;
}

export interface ScanFrame {
  scan_id: string;
  status: string;
  total: number;
  done: number;
  completed: number;
  failed: number;
  cancelled: number;
  children: readonly ScanFrameChild[];
}

const price = (level: { price: number } | null) => (level ? String(Number(level.price.toPrecision(6))) : '-');

export function renderScanFrame(frame: ScanFrame): string {
  const head =
    `${frame.scan_id}  ${frame.status}  ${frame.done}/${frame.total} done` +
    ` (${frame.completed} completed, ${frame.failed} failed, ${frame.cancelled} cancelled)`;
  const rows = frame.children.map((child) => [
    child.symbol,
    child.interval,
    child.status,
    child.result?.trend.direction ?? '-',
    child.result
      ? child.result.patterns.map((found) => `${found.pattern} (${found.direction})`).join(', ') || '-'
      : (child.error?.slice(0, 60) ?? '-'),
    price(child.result?.support ?? null),
    price(child.result?.resistance ?? null),
  ]);
  return `${head}\n${textTable(['SYMBOL', 'INTERVAL', 'STATUS', 'TREND', 'PATTERNS (LAST BARS)', 'SUPPORT', 'RESISTANCE'], rows)}`;
}
