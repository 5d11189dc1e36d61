/** A job's attempt history: the `history` field of its record, a JSON list the Lua scripts append to when an attempt fails. */
import type { QueueKeys } from './keys.js';
import type { RedisClient } from './redisConnection.js';
import { reportCorruptRecord } from './corruptRecords.js';

export interface JobAttempt {
  attempt: number;
  /** Epoch ms. */
  at: number;
  error: string;
  /** The worker consumer that ran the attempt. */
  node: string;
}

export async function readJobHistory(redis: RedisClient, keys: QueueKeys, analysisId: string): Promise<JobAttempt[]> {
  return parseHistory(await redis.hget(keys.job(analysisId), 'history'), analysisId);
}

const isAttempt = (value: unknown): value is JobAttempt =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as JobAttempt).attempt === 'number' &&
  typeof (value as JobAttempt).at === 'number' &&
  typeof (value as JobAttempt).error === 'string' &&
  typeof (value as JobAttempt).node === 'string';

export function parseHistory(stored: string | null | undefined, analysisId: string): JobAttempt[] {
  if (!stored) return [];
  try {
    const parsed: unknown = JSON.parse(stored);
    if (Array.isArray(parsed) && parsed.every(isAttempt)) return parsed;
  } catch {
    // reported below
  }
  // cjson encodes an empty list as {}: that is no history, not a broken one.
  if (stored === '{}') return [];
  reportCorruptRecord(analysisId, 'history', stored.slice(0, 200));
  return [];
}
