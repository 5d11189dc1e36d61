/**
 * Fair admission between users: jobs wait on a per-stream admission queue when the stream's
 * undelivered backlog is at its limit, and are moved into the stream fairly (weighted, by
 * user) as room appears. The moves happen in Lua (storage/lua/includes/admission.lua) inside
 * the enqueue, scan, cancel and finish scripts, and in admitWaiting.lua, which a periodic
 * admitter on every worker runs so admission never stalls when no job finishes.
 */
import type { QueueKeys } from '../keys.js';
import type { RedisClient } from '../redisConnection.js';
import { admitWaiting } from '../scripts/admissionScripts.js';
import { runScript } from '../scripts/runScript.js';

/** Most jobs one admit call moves (the Lua include's own cap), however much room there is. */
export const ADMIT_MAX_PER_CALL = 1000;

/** The limit on the stream's undelivered backlog: a small multiple of a worker's consumers x batch. */
export const DEFAULT_ADMISSION_BACKLOG = 20;

export interface AdmissionSettings {
  /** Undelivered entries the stream may hold before new jobs wait their turn; 0 turns admission off. */
  admissionBacklog?: number;
}

/** The admission keys as the queueing scripts name them. */
export function admissionScriptKeys(keys: QueueKeys) {
  return {
    admissionQueue: keys.admission.queue,
    admissionWaiting: keys.admission.waiting,
    admissionTags: keys.admission.tags,
    admissionWeights: keys.admission.weights,
  };
}

/** The limit as the scripts take it; off (0) unless configured, so embedders keep a plain queue. */
export function admissionLimit(settings: AdmissionSettings): number {
  return Math.max(0, Math.floor(settings.admissionBacklog ?? 0));
}

export interface AdmissionCounts {
  /** Jobs waiting for admission, over every user. */
  waiting_for_admission: number;
  /** Users with at least one job waiting for admission. */
  users_waiting_for_admission: number;
}

export function createAdmission(redis: RedisClient, keys: QueueKeys, settings: AdmissionSettings = {}) {
  const limit = admissionLimit(settings);

  /** Moves waiting jobs into the stream while there is room; returns the ids admitted. */
  async function admit(): Promise<string[]> {
    return runScript(redis, admitWaiting, {
      keys: {
        stream: keys.stream,
        queue: keys.admission.queue,
        waiting: keys.admission.waiting,
        tags: keys.admission.tags,
        weights: keys.admission.weights,
      },
      args: { group: keys.group, limit },
    });
  }

  async function counts(): Promise<AdmissionCounts> {
    const [jobs, users] = await Promise.all([redis.zcard(keys.admission.queue), redis.hlen(keys.admission.waiting)]);
    return { waiting_for_admission: jobs, users_waiting_for_admission: users };
  }

  /** How many of this user's jobs wait for admission. */
  async function waitingFor(userId: string): Promise<number> {
    return Number((await redis.hget(keys.admission.waiting, userId)) ?? 0);
  }

  /** A user's share: weight 2 is admitted twice as often as weight 1 (the default). Applies to jobs queued from now on. */
  async function setWeight(userId: string, weight: number): Promise<void> {
    if (!Number.isFinite(weight) || weight <= 0)
      throw new RangeError(`weight of user ${userId} must be a positive number, got ${weight}`);
    if (weight === 1) await redis.hdel(keys.admission.weights, userId);
    else await redis.hset(keys.admission.weights, userId, String(weight));
  }

  return { admit, counts, waitingFor, setWeight, limit };
}

export type Admission = ReturnType<typeof createAdmission>;

/** One admit over every partition's stream, each admitting into its own. */
export function admitEveryPartition(redis: RedisClient, keys: QueueKeys, admissionBacklog: number) {
  const admissions = keys.all().map((partition) => createAdmission(redis, partition, { admissionBacklog }));
  return {
    async admit(): Promise<string[]> {
      return (await Promise.all(admissions.map((admission) => admission.admit()))).flat();
    },
  };
}
