/**
 * OHLCV files: CSV with the header `time,open,high,low,close,volume` (time as ISO 8601 or epoch
 * milliseconds), or JSON, an array of objects with those fields. Errors name the file and the
 * line (CSV) or entry (JSON) and say what is wrong, as PermanentFailures: retrying will not fix
 * a file.
 */
import type { Candle } from '../../analysis/candles.js';
import { PermanentFailure } from '../../storage/failures.js';

const FIELDS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

function parseTime(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return Number.NaN;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
}

function toCandle(fields: Record<(typeof FIELDS)[number], unknown>, where: string): Candle {
  const time = parseTime(fields.time);
  if (!Number.isFinite(time))
    throw new PermanentFailure(
      `${where}: time ${JSON.stringify(fields.time)} is neither ISO 8601 nor epoch milliseconds`,
    );
  const values = FIELDS.slice(1).map((name) => {
    const raw = fields[name];
    const value =
      typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    if (!Number.isFinite(value) || value < 0)
      throw new PermanentFailure(`${where}: ${name} ${JSON.stringify(raw)} is not a non-negative number`);
    return value;
  }) as [number, number, number, number, number];
  const [open, high, low, close, volume] = values;
  if (high < Math.max(open, close, low) || low > Math.min(open, close))
    throw new PermanentFailure(`${where}: high ${high} and low ${low} do not contain open ${open} and close ${close}`);
  return { time, open, high, low, close, volume };
}

function checkOrder(candles: Candle[], describe: (index: number) => string): Candle[] {
  for (let index = 1; index < candles.length; index += 1) {
    if (candles[index]!.time <= candles[index - 1]!.time)
      throw new PermanentFailure(
        `${describe(index)}: time ${new Date(candles[index]!.time).toISOString()} is not after the previous row's; sort the file by time without duplicates`,
      );
  }
  return candles;
}

export function parseCsvCandles(text: string, file: string): Candle[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '')
    .trim()
    .toLowerCase()
    .split(',')
    .map((name) => name.trim());
  if (FIELDS.some((name, index) => header[index] !== name))
    throw new PermanentFailure(
      `${file} line 1: header must be ${FIELDS.join(',')}, found ${JSON.stringify(lines[0] ?? '')}`,
    );
  const candles: Candle[] = [];
  const lineOf: number[] = [];
  for (let index = 1; index < lines.length; index += 1) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    const cells = line.split(',');
    const where = `${file} line ${index + 1}`;
    if (cells.length !== FIELDS.length)
      throw new PermanentFailure(`${where}: expected ${FIELDS.length} comma-separated values, found ${cells.length}`);
    candles.push(
      toCandle(
        Object.fromEntries(FIELDS.map((name, k) => [name, cells[k]])) as Record<(typeof FIELDS)[number], unknown>,
        where,
      ),
    );
    lineOf.push(index + 1);
  }
  return checkOrder(candles, (index) => `${file} line ${lineOf[index]}`);
}

export function parseJsonCandles(text: string, file: string): Candle[] {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch (error) {
    throw new PermanentFailure(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(rows))
    throw new PermanentFailure(`${file}: expected an array of {time, open, high, low, close, volume} objects`);
  const candles = rows.map((row: unknown, index) => {
    const where = `${file} entry ${index} (0-based)`;
    if (typeof row !== 'object' || row === null) throw new PermanentFailure(`${where}: not an object`);
    return toCandle(row as Record<(typeof FIELDS)[number], unknown>, where);
  });
  return checkOrder(candles, (index) => `${file} entry ${index} (0-based)`);
}
