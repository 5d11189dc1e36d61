/**
 * The candle intervals the API accepts (Binance's kline intervals), look-back windows such as
 * `7d`, and the candle count they imply.
 */

export const INTERVALS = [
  '1m',
  '3m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '8h',
  '12h',
  '1d',
  '3d',
  '1w',
  '1M',
] as const;
export type Interval = (typeof INTERVALS)[number];

export const MAX_CANDLES = 50_000;

const MINUTE = 60_000;
const UNIT_MS: Record<string, number> = {
  m: MINUTE,
  h: 60 * MINUTE,
  d: 1440 * MINUTE,
  w: 7 * 1440 * MINUTE,
  M: 30 * 1440 * MINUTE,
  y: 365 * 1440 * MINUTE,
};

export function isInterval(value: string): value is Interval {
  return (INTERVALS as readonly string[]).includes(value);
}

export function intervalMs(interval: Interval): number {
  return durationMs(interval) ?? MINUTE;
}

/** `7d`, `30d`, `1y`, `12h`, `90m`, `2w`, `1M`: a positive whole number and a unit. */
export function durationMs(text: string): number | undefined {
  const match = /^([1-9][0-9]{0,5})(m|h|d|w|M|y)$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as string]!;
}

export function candleCount(interval: Interval, timeframe: string): number | undefined {
  const windowMs = durationMs(timeframe);
  if (windowMs === undefined) return undefined;
  return Math.floor(windowMs / intervalMs(interval));
}
