/**
 * The Redis side of retention that key expiry cannot do by itself: a job's id stays in its
 * user's indexes (sorted sets shared with live jobs) after its record expired, and the
 * idempotency key that queued it would outlive it (a script may only touch the keys its
 * caller declares, so the finishing script cannot reach it by name). The scripts
 * that start a record's expiry name it on the retention schedule; this reads the due part of
 * the schedule, a bounded batch per call, never the keyspace.
 */
import type { QueueKeys } from './keys.js';
import type { RedisClient } from './redisConnection.js';
import { runScript } from './scripts/runScript.js';
import { trimRetention } from './scripts/scriptTable.js';

interface ScheduledJob {
  analysisId: string;
  userId: string;
  idempotencyKey?: string;
}

/**
 * A schedule member is `analysisId:userId`, then ` idempotencyKey` for a job queued with one:
 * analysis ids hold no colon; user ids and idempotency keys hold no space.
 */
export function parseScheduleMember(member: string): ScheduledJob | undefined {
  const colon = member.indexOf(':');
  if (colon <= 0) return undefined;
  const analysisId = member.slice(0, colon);
  const [userId = '', idempotencyKey] = member.slice(colon + 1).split(' ', 2);
  return idempotencyKey ? { analysisId, userId, idempotencyKey } : { analysisId, userId };
}

export function createRetentionSweep(redis: RedisClient, keys: QueueKeys) {
  /** Drops up to `limit` expired jobs from their users' indexes; returns how many were due (a full batch: call again). */
  async function sweep(now: number, limit: number): Promise<{ due: number; dropped: number }> {
    const due = await redis.zrangebyscore(keys.retentionSchedule(), '-inf', now, 'LIMIT', 0, limit);
    const items = due.flatMap((member) => {
      const parsed = parseScheduleMember(member);
      if (!parsed) return [];
      return [
        {
          keys: {
            job: keys.job(parsed.analysisId),
            // This partition's indexes: where the job was written, whatever the user's partition is now.
            userJobs: keys.userJobs(parsed.userId, keys.partition),
            userActive: keys.userActiveJobs(parsed.userId, keys.partition),
            // No request can set the empty key, so a job queued without one deletes nothing.
            idempotency: keys.idempotency(parsed.userId, parsed.idempotencyKey ?? '', keys.partition),
          },
          args: { member, analysisId: parsed.analysisId },
        },
      ];
    });
    const malformed = due.filter((member) => !parseScheduleMember(member));
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
