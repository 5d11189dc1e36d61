/**
 * Requests per second per client (bearer token) and per IP address, as token buckets in this
 * API node's memory: a bucket holds one second's worth and refills continuously, so a client
 * may burst up to its rate and then keeps to it. An exhausted bucket answers how long until
 * the next request would pass (Retry-After). A rate of 0 turns that limit off.
 */
import { TRPCError } from '@trpc/server';

export class RateLimited extends Error {
  override readonly name = 'RateLimited';
  constructor(
    readonly retryAfterSeconds: number,
    readonly scope: 'token' | 'ip',
  ) {
    super(
      `rate limit: too many requests per ${scope === 'ip' ? 'IP address' : 'token'}; retry after ${retryAfterSeconds} s`,
    );
  }
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Past this many buckets, full (idle) ones are dropped, so a stream of new keys cannot grow memory. */
const PRUNE_ABOVE = 10_000;

export interface RateLimiter {
  /** Throws RateLimited when `key` is over its rate. */
  take(key: string): void;
}

export function createRateLimiter(scope: 'token' | 'ip', perSecond: number, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const capacity = Math.max(1, perSecond);
  function prune(at: number) {
    for (const [key, bucket] of buckets)
      if (bucket.tokens + ((at - bucket.at) / 1000) * perSecond >= capacity) buckets.delete(key);
  }
  return {
    take(key) {
      if (perSecond <= 0) return;
      const at = now();
      const bucket = buckets.get(key) ?? { tokens: capacity, at };
      bucket.tokens = Math.min(capacity, bucket.tokens + ((at - bucket.at) / 1000) * perSecond);
      bucket.at = at;
      if (bucket.tokens < 1) {
        buckets.set(key, bucket);
        throw new RateLimited(Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)), scope);
      }
      bucket.tokens -= 1;
      if (!buckets.has(key) && buckets.size >= PRUNE_ABOVE) prune(at);
      buckets.set(key, bucket);
    },
  };
}

export interface RateLimits {
  perToken: RateLimiter;
  perIp: RateLimiter;
}

export function createRateLimits(config: {
  API_RATE_LIMIT_PER_TOKEN: number;
  API_RATE_LIMIT_PER_IP: number;
}): RateLimits {
  return {
    perToken: createRateLimiter('token', config.API_RATE_LIMIT_PER_TOKEN),
    perIp: createRateLimiter('ip', config.API_RATE_LIMIT_PER_IP),
  };
}

/** The same refusal as a procedure error; the transports read Retry-After from its cause. */
export function rateLimitedError(limited: RateLimited): TRPCError {
  return new TRPCError({ code: 'TOO_MANY_REQUESTS', message: limited.message, cause: limited });
}

export function retryAfterOf(error: unknown): number | undefined {
  if (error instanceof RateLimited) return error.retryAfterSeconds;
  if (error instanceof TRPCError && error.cause instanceof RateLimited) return error.cause.retryAfterSeconds;
  return undefined;
}
