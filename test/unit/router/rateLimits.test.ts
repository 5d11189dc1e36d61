/** The token bucket on an injected clock: a burst of one second's worth, then the rate, and Retry-After. */
import { createRateLimiter, RateLimited } from '../../../router/rateLimits.js';

test('allows a burst of its rate, refuses the next with Retry-After, and refills with time', () => {
  let now = 0;
  const limiter = createRateLimiter('token', 4, () => now);
  for (let index = 0; index < 4; index += 1) limiter.take('a');
  expect(() => limiter.take('a')).toThrow(RateLimited);
  try {
    limiter.take('a');
  } catch (error) {
    expect((error as RateLimited).retryAfterSeconds).toBe(1);
  }
  limiter.take('b'); // another key has its own bucket
  now += 250;
  limiter.take('a');
  expect(() => limiter.take('a')).toThrow(RateLimited);
});

test('a rate below one per second answers the wait in whole seconds; 0 means no limit', () => {
  let now = 0;
  const slow = createRateLimiter('ip', 0.2, () => now);
  slow.take('x');
  expect(() => slow.take('x')).toThrow(expect.objectContaining({ retryAfterSeconds: 5 }));
  now += 5000;
  slow.take('x');
  const off = createRateLimiter('ip', 0);
  for (let index = 0; index < 1000; index += 1) off.take('x');
});
