/**
 * The shared cache of identical analyses: jobs with the same data source, symbol, interval,
 * timeframe, bar and analysis version compute once per bar. The first becomes the owner
 * (SET NX with a TTL of the job timeout, so a dead owner's claim runs out); the others wait
 * for its result, stored until the bar ends, and complete from it; if the owner fails, the
 * next waiter takes over. Hits and misses are counted in Redis for /metrics.
 */
import { type Interval, intervalMs } from '../analysis/intervals.js';
import type { JobResult } from './jobRecord.js';
import type { QueueKeys } from './keys.js';
import type { RedisClient } from './redisConnection.js';
import { runScript } from './scripts/runScript.js';
import { releaseAnalysisCache } from './scripts/cacheScripts.js';

/** Bumped whenever the analysis would give a different result for the same candles. */
export const ANALYSIS_VERSION = 1;
const WAIT_POLL_MS = 100;

export interface CacheIdentity {
  dataSource: string;
  symbol: string;
  interval: Interval;
  timeframe: string;
}

export type CacheDecision = { kind: 'hit'; result: JobResult } | { kind: 'owner' };

/** The bar a job at `now` analyses up to: the one that opened last (its start, epoch ms). */
export function currentBar(interval: Interval, now: number): number {
  const length = intervalMs(interval);
  return Math.floor(now / length) * length;
}

export function cacheKeyFor(identity: CacheIdentity, now: number): string {
  const bar = currentBar(identity.interval, now);
  return [
    identity.dataSource,
    identity.symbol,
    identity.interval,
    identity.timeframe,
    bar,
    `v${ANALYSIS_VERSION}`,
  ].join(':');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createAnalysisCache(redis: RedisClient, keys: QueueKeys, options: { ownerTtlMs: number }) {
  /** The result when another job of the bar computed it, else ownership; waits while another job computes. */
  async function acquire(
    cacheKey: string,
    analysisId: string,
    signal: AbortSignal,
  ): Promise<CacheDecision | undefined> {
    const hit = async (cached: string): Promise<CacheDecision> => {
      await redis.hincrby(keys.analysisCacheStats(), 'hits', 1);
      return { kind: 'hit', result: JSON.parse(cached) as JobResult };
    };
    while (!signal.aborted) {
      const cached = await redis.get(keys.analysisCacheResult(cacheKey));
      if (cached !== null) return hit(cached);
      const owned = await redis.set(keys.analysisCacheOwner(cacheKey), analysisId, 'PX', options.ownerTtlMs, 'NX');
      // A claim left by an earlier attempt of this very job (it failed, timed out or its worker died) is
      // its own: the retry takes it over instead of waiting for it to lapse, which would outlast its timeout.
      const ownedByThisJob =
        owned !== 'OK' && (await redis.get(keys.analysisCacheOwner(cacheKey))) === analysisId
          ? await redis.set(keys.analysisCacheOwner(cacheKey), analysisId, 'PX', options.ownerTtlMs, 'XX')
          : null;
      if (owned === 'OK' || ownedByThisJob === 'OK') {
        // The owner may have stored its result and let go between the read above and this claim:
        // then the claim goes back (released without a result) and the result is used.
        const late = await redis.get(keys.analysisCacheResult(cacheKey));
        if (late !== null) {
          await release(cacheKey, analysisId, undefined, 0);
          return hit(late);
        }
        await redis.hincrby(keys.analysisCacheStats(), 'misses', 1);
        return { kind: 'owner' };
      }
      await sleep(WAIT_POLL_MS);
    }
    return undefined;
  }

  /** The owner's end: with its result (kept to the bar's end) or without (failed; the next waiter owns it). */
  async function release(cacheKey: string, analysisId: string, result: JobResult | undefined, barEndsAt: number) {
    await runScript(redis, releaseAnalysisCache, {
      keys: { owner: keys.analysisCacheOwner(cacheKey), result: keys.analysisCacheResult(cacheKey) },
      args: {
        owner: analysisId,
        result: result === undefined ? '' : JSON.stringify(result),
        ttlMs: Math.max(1000, barEndsAt - Date.now()),
      },
    });
  }

  return { acquire, release, stats: () => readAnalysisCacheStats(redis, keys) };
}

/** Hits and misses over every worker, for /metrics. */
export async function readAnalysisCacheStats(
  redis: RedisClient,
  keys: QueueKeys,
): Promise<{ hits: number; misses: number }> {
  const [hits, misses] = await redis.hmget(keys.analysisCacheStats(), 'hits', 'misses');
  return { hits: Number(hits ?? 0), misses: Number(misses ?? 0) };
}

export type AnalysisCache = ReturnType<typeof createAnalysisCache>;
