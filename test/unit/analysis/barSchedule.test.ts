/** When candles close and scheduled runs fall due, on given times (UTC), for fixed, weekly and monthly intervals. */
import { barOpenAt, latestClosedBar, nextDueAt, nextDueOver } from '../../../analysis/barSchedule.js';

const at = (iso: string) => Date.parse(iso);
const SETTLE = 10_000;

test('fixed-length bars align on the epoch; the latest closed bar waits for the settle delay', () => {
  expect(barOpenAt('1h', at('2026-03-04T10:59:59.999Z'))).toBe(at('2026-03-04T10:00:00Z'));
  expect(barOpenAt('4h', at('2026-03-04T10:30:00Z'))).toBe(at('2026-03-04T08:00:00Z'));
  // 11:00:05: the 10:00 candle closed 5 s ago, not yet settled: the latest settled one is 09:00.
  expect(latestClosedBar('1h', at('2026-03-04T11:00:05Z'), SETTLE)).toEqual({
    bar: at('2026-03-04T09:00:00Z'),
    closedAt: at('2026-03-04T10:00:00Z'),
  });
  expect(latestClosedBar('1h', at('2026-03-04T11:00:10Z'), SETTLE)).toEqual({
    bar: at('2026-03-04T10:00:00Z'),
    closedAt: at('2026-03-04T11:00:00Z'),
  });
  expect(latestClosedBar('15m', at('2026-03-04T11:14:00Z'), 0).bar).toBe(at('2026-03-04T10:45:00Z'));
});

test('the next run is due when the next bar closes plus the settle delay, also right at a boundary', () => {
  expect(nextDueAt('1h', at('2026-03-04T10:20:00Z'), SETTLE)).toBe(at('2026-03-04T11:00:10Z'));
  // At 11:00:05 the 11:00 close has not settled: it is still the next one due.
  expect(nextDueAt('1h', at('2026-03-04T11:00:05Z'), SETTLE)).toBe(at('2026-03-04T11:00:10Z'));
  expect(nextDueAt('1h', at('2026-03-04T11:00:10Z'), SETTLE)).toBe(at('2026-03-04T12:00:10Z'));
  expect(nextDueAt('1d', at('2026-03-04T23:59:00Z'), 0)).toBe(at('2026-03-05T00:00:00Z'));
  expect(nextDueOver(['4h', '1h', '1d'], at('2026-03-04T10:20:00Z'), SETTLE)).toBe(at('2026-03-04T11:00:10Z'));
  expect(nextDueOver(['4h', '1d'], at('2026-03-04T10:20:00Z'), SETTLE)).toBe(at('2026-03-04T12:00:10Z'));
});

test('weekly bars open on Monday 00:00 UTC, as Binance opens them', () => {
  // 2026-03-04 is a Wednesday.
  expect(barOpenAt('1w', at('2026-03-04T12:00:00Z'))).toBe(at('2026-03-02T00:00:00Z'));
  expect(latestClosedBar('1w', at('2026-03-04T12:00:00Z'), SETTLE).bar).toBe(at('2026-02-23T00:00:00Z'));
  expect(nextDueAt('1w', at('2026-03-04T12:00:00Z'), SETTLE)).toBe(at('2026-03-09T00:00:10Z'));
});

test('monthly bars follow the calendar, whatever the month length', () => {
  expect(barOpenAt('1M', at('2026-03-31T23:00:00Z'))).toBe(at('2026-03-01T00:00:00Z'));
  expect(latestClosedBar('1M', at('2026-03-01T00:00:10Z'), SETTLE)).toEqual({
    bar: at('2026-02-01T00:00:00Z'),
    closedAt: at('2026-03-01T00:00:00Z'),
  });
  expect(nextDueAt('1M', at('2026-02-10T00:00:00Z'), SETTLE)).toBe(at('2026-03-01T00:00:10Z'));
  expect(nextDueAt('1M', at('2026-12-15T00:00:00Z'), 0)).toBe(at('2027-01-01T00:00:00Z'));
  expect(latestClosedBar('1M', at('2026-01-05T00:00:00Z'), 0).bar).toBe(at('2025-12-01T00:00:00Z'));
});
