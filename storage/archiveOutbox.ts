/**
 * The archive (outbox) stream, read by the archivers' consumer group: the scripts that end a
 * job add its id to it in the same atomic step, an archiver copies the record into MongoDB
 * and then acknowledges it here (ackArchived.lua), which also starts the record's expiry. An
 * entry stays pending until it is acknowledged, so an archiver killed mid-batch loses
 * nothing: its entries are taken over once idle, and archived again (an idempotent upsert).
 */
import { ARCHIVE_GROUP, type QueueKeys } from './keys.js';
import { type JobRecord, pairsToHash, recordFromHash } from './jobRecord.js';
import type { RedisClient } from './redisConnection.js';
import { runScript } from './scripts/runScript.js';
import { ackArchived, removeIdleConsumers } from './scripts/scriptTable.js';
import { autoclaimReply, type RawEntry, readReply } from './streamReplies.js';

export interface ArchiveEntry {
  entryId: string;
  analysisId: string;
}

export interface OutboxOptions {
  /** ANALYSIS_RESULT_TTL: how long a record stays in Redis after it ended, once archived (0: forever). */
  resultTtlSeconds: number;
}

const entriesOf = (raw: readonly RawEntry[]): ArchiveEntry[] =>
  raw.map(({ id, fields }) => ({ entryId: id, analysisId: pairsToHash(fields ?? []).analysis_id ?? '' }));

export async function ensureArchiveGroup(redis: RedisClient, keys: QueueKeys): Promise<void> {
  try {
    await redis.xgroup('CREATE', keys.archive(), ARCHIVE_GROUP, '0', 'MKSTREAM');
  } catch (error) {
    if (!String(error).includes('BUSYGROUP')) throw error;
  }
}

export function createArchiveOutbox(redis: RedisClient, keys: QueueKeys, options: OutboxOptions) {
  /** This consumer's unacknowledged entries first (a batch that failed or was interrupted), then new ones. */
  async function read(consumer: string, count: number): Promise<ArchiveEntry[]> {
    const readFrom = async (position: '0' | '>') => {
      try {
        const reply: unknown = await redis.xreadgroup(
          'GROUP',
          ARCHIVE_GROUP,
          consumer,
          'COUNT',
          count,
          'STREAMS',
          keys.archive(),
          position,
        );
        return entriesOf(readReply(reply));
      } catch (error) {
        // The stream or group is gone (a flush, a Redis without persistence): recreate it for the next read.
        if (String(error).includes('NOGROUP')) await ensureArchiveGroup(redis, keys);
        throw error;
      }
    };
    const own = await readFrom('0');
    return own.length > 0 ? own : readFrom('>');
  }

  /** Entries other archivers left pending for longer than minIdleMs (they died): now this consumer's. */
  async function takeOverIdle(consumer: string, minIdleMs: number, count: number): Promise<ArchiveEntry[]> {
    const reply = autoclaimReply(
      await redis.xautoclaim(keys.archive(), ARCHIVE_GROUP, consumer, minIdleMs, '0-0', 'COUNT', count),
    );
    return entriesOf(reply.entries);
  }

  /** The job records of the entries (undefined where the record is gone). */
  async function records(entries: readonly ArchiveEntry[]): Promise<(JobRecord | undefined)[]> {
    const pipeline = redis.pipeline();
    for (const entry of entries) pipeline.hgetall(keys.job(entry.analysisId));
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, hash], index) => {
      if (error) throw error;
      return recordFromHash(hash as Record<string, string>, entries[index]!.analysisId);
    });
  }

  async function acknowledge(entries: readonly ArchiveEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    return runScript(redis, ackArchived, {
      keys: { archive: keys.archive(), retention: keys.retentionSchedule() },
      args: { group: ARCHIVE_GROUP, now: Date.now(), resultTtl: options.resultTtlSeconds },
      items: entries.map((entry) => ({
        keys: { job: keys.job(entry.analysisId), progress: keys.progress(entry.analysisId) },
        args: { entryId: entry.entryId },
      })),
    });
  }

  /**
   * Deletes archivers idle longer than minIdleMs with nothing pending (dead ones, whose entries
   * were taken over), other than `consumer`: a restart names a new consumer. Returns their names.
   */
  const removeDeadConsumers = (consumer: string, minIdleMs: number) =>
    runScript(redis, removeIdleConsumers, {
      keys: { stream: keys.archive() },
      args: { group: ARCHIVE_GROUP, minIdle: minIdleMs, except: consumer },
    });

  /** Entries on the stream (archived ones are deleted, so this is the backlog). */
  const backlog = () => redis.xlen(keys.archive());

  return { read, takeOverIdle, removeDeadConsumers, records, acknowledge, backlog };
}

export type ArchiveOutbox = ReturnType<typeof createArchiveOutbox>;
