/** The per-user cap on active (queued + processing) jobs: pruning the user's active set of jobs that have ended. */
import type { QueueKeys } from './keys.js';
import { isScanId } from './scans/scanId.js';
import type { RedisClient } from './redisConnection.js';
import { runScript } from './scripts/runScript.js';
import { type AtCap, pruneActiveJobs } from './scripts/scriptTable.js';

const isAtCap = <R>(reply: R | AtCap): reply is AtCap => (reply as { outcome?: unknown }).outcome === 'at-cap';

/** The user already has the maximum number of queued + processing jobs; nothing was written. */
export class ActiveJobLimitReached extends Error {
  override readonly name = 'ActiveJobLimitReached';
  constructor(
    readonly userId: string,
    readonly active: number,
    readonly limit: number,
  ) {
    super(
      `user ${userId} has ${active} queued or processing analyses, the most allowed is ${limit}; wait for some to finish or cancel them`,
    );
  }
}

/** Removes the ended jobs among `ids` from the user's active set; returns how many remain. */
export function pruneActive(
  redis: RedisClient,
  keys: QueueKeys,
  userId: string,
  ids: readonly string[],
): Promise<number> {
  return runScript(redis, pruneActiveJobs, {
    keys: { userActive: keys.userActiveJobs(userId) },
    args: {},
    // A scan holds a slot too; its hash has a `status` like a job's.
    items: ids.map((analysisId) => ({
      keys: { job: isScanId(analysisId) ? keys.scan(analysisId) : keys.job(analysisId) },
      args: { analysisId },
    })),
  });
}

/**
 * Runs a script that refuses when the user is at the cap; at the cap, prunes the ended jobs it
 * named and runs it once more (the rare path: a user whose jobs ended since the last prune).
 */
export async function withinCap<R>(
  redis: RedisClient,
  keys: QueueKeys,
  userId: string,
  limit: number,
  attempt: () => Promise<R | AtCap>,
): Promise<R> {
  const first = await attempt();
  if (!isAtCap(first)) return first;
  if ((await pruneActive(redis, keys, userId, first.ids)) < first.active) {
    const second = await attempt();
    if (!isAtCap(second)) return second;
    throw new ActiveJobLimitReached(userId, second.active, limit);
  }
  throw new ActiveJobLimitReached(userId, first.active, limit);
}
