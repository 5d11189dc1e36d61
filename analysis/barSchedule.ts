/**
 * When candles close, for schedules that run on every close. Bars are aligned as Binance
 * aligns its klines (UTC): fixed-length intervals from the Unix epoch, weeks from Monday
 * 00:00, months on the calendar. A bar is named by its open time (epoch ms); it closes when
 * the next one opens.
 */
import { type Interval, intervalMs } from './intervals.js';

const DAY = 86_400_000;
/** 1970-01-05 was the first Monday after the epoch. */
const FIRST_MONDAY = 4 * DAY;

/** Open time of the bar that contains `at`. */
export function barOpenAt(interval: Interval, at: number): number {
  if (interval === '1M') {
    const date = new Date(at);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  }
  if (interval === '1w') return Math.floor((at - FIRST_MONDAY) / (7 * DAY)) * 7 * DAY + FIRST_MONDAY;
  const length = intervalMs(interval);
  return Math.floor(at / length) * length;
}

/** Open time of the bar after the one opening at `open`. */
export function nextBarOpen(interval: Interval, open: number): number {
  if (interval === '1M') {
    const date = new Date(open);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  }
  return open + (interval === '1w' ? 7 * DAY : intervalMs(interval));
}

/** Open time of the bar before the one opening at `open`. */
export function previousBarOpen(interval: Interval, open: number): number {
  if (interval === '1M') {
    const date = new Date(open);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, 1);
  }
  return open - (interval === '1w' ? 7 * DAY : intervalMs(interval));
}

export interface ClosedBar {
  /** Open time of the bar (what a schedule records as run). */
  bar: number;
  /** When it closed: candles opening before this are the closed ones. */
  closedAt: number;
}

/**
 * The latest bar that closed at least `settleMs` before `now`: the exchange has had that long
 * to publish its final candle.
 */
export function latestClosedBar(interval: Interval, now: number, settleMs: number): ClosedBar {
  const closedAt = barOpenAt(interval, now - settleMs);
  return { bar: previousBarOpen(interval, closedAt), closedAt };
}

/** When the next bar after `now` closes and has settled: the earliest time a run can be due. */
export function nextDueAt(interval: Interval, now: number, settleMs: number): number {
  return nextBarOpen(interval, barOpenAt(interval, now - settleMs)) + settleMs;
}

/** The earliest next due time over several intervals. */
export function nextDueOver(intervals: readonly Interval[], now: number, settleMs: number): number {
  return Math.min(...intervals.map((interval) => nextDueAt(interval, now, settleMs)));
}
