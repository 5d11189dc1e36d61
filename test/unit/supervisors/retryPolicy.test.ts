/** Retry delays: exponential from the base, jittered in the upper half, growing, capped, honouring Retry-After. */
import { retryDelayMs } from '../../../supervisors/retryPolicy.js';

test('delays double per retry within [window/2, window]', () => {
  for (const random of [0, 0.5, 0.999]) {
    const policy = { baseMs: 1000, random: () => random };
    const delays = [0, 1, 2, 3].map((retries) => retryDelayMs(retries, policy));
    delays.forEach((delay, retries) => {
      const window = 1000 * 2 ** retries;
      expect(delay).toBeGreaterThanOrEqual(window / 2);
      expect(delay).toBeLessThanOrEqual(window);
    });
  }
});

test('whatever the jitter, the next delay is never shorter than the previous one', () => {
  expect(retryDelayMs(1, { baseMs: 100, random: () => 0 })).toBeGreaterThanOrEqual(
    retryDelayMs(0, { baseMs: 100, random: () => 1 }),
  );
});

test('capped at 60 s, Retry-After included', () => {
  expect(retryDelayMs(20, { baseMs: 1000, random: () => 1 })).toBe(60_000);
  expect(retryDelayMs(0, { baseMs: 1000, random: () => 0 }, 5_000)).toBe(5_000);
  expect(retryDelayMs(0, { baseMs: 1000, random: () => 0 }, 600_000)).toBe(60_000);
});
