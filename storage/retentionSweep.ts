/**
 * The Redis side of retention that key expiry cannot do by itself: a job's id stays in its
 * user's indexes (sorted sets shared with live jobs) after its record expired. The scripts
 * that start a record's expiry name it on the retention schedule; this reads the due part of
 * the schedule, a bounded batch per call, never the keyspace.
 */
import type { QueueKeys } from './keys.js';
import type { RedisClient } from './redisConnection.js';
import { runScript } from './scripts/runScript.js';
import { trimRetention } from './scripts/scriptTable.js';

/** A schedule member is `analysisId:userId`; analysis ids hold no colon, user ids may. */
function parseMember(member: string): { analysisId: string; userId: string } | undefined {
  const colon = member.indexOf(':');
  return colon > 0 ? { analysisId: member.slice(0, colon), userId: member.slice(colon + 1) } : undefined;
}

export function createRetentionSweep(redis: RedisClient, keys: QueueKeys) {
  /** Drops up to `limit` expired jobs from their users' indexes; returns how many were due (a full batch: call again). */
  async function sweep(now: number, limit: number): Promise<{ due: number; dropped: number }> {
    const due = await redis.zrangebyscore(keys.retentionSchedule(), '-inf', now, 'LIMIT', 0, limit);
    const items = due.flatMap((member) => {
      const parsed = parseMember(member);
      if (!parsed) return [];
      return [
        {
          keys: {
            job: keys.job(parsed.analysisId),
            // This partition's indexes: where the job was written, whatever the user's partition is now.
            userJobs: keys.userJobs(parsed.userId, keys.partition),
            userActive: keys.userActiveJobs(parsed.userId, keys.partition),
          },
          args: { member, analysisId: parsed.analysisId },
        },
      ];
    });
    const malformed = due.filter((member) => !parseMember(member));
    if (malformed.length > 0) await redis.zrem(keys.retentionSchedule(), ...malformed);
    if (items.length === 0) return { due: due.length, dropped: 0 };
    const dropped = await runScript(redis, trimRetention, {
      keys: { retention: keys.retentionSchedule() },
      args: { now },
      items,
    });
    return { due: due.length, dropped };
  }

  return { sweep };
}

export type RetentionSweep = ReturnType<typeof createRetentionSweep>;
