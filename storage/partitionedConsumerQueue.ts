/**
 * The worker side of a queue with several partitions: one consumer queue per partition behind
 * the ConsumerQueue interface, so consumer actors, the reclaimer and shutdown work unchanged.
 * Calls about a job go to the partition its id names; reads rotate over the partitions, so a
 * busy partition cannot starve a quiet one nor wait behind an idle one, and an idle consumer's
 * blocking read is split across them (a Cluster XREADGROUP can only read streams of one slot).
 */
import { partitionOfId, type QueueKeys } from './keys.js';
import {
  type ClaimReport,
  type ClaimState,
  type ConsumerQueue,
  type ConsumerQueueOptions,
  createConsumerQueue,
  type FinishRequest,
  type StreamEntry,
} from './consumerQueue.js';
import type { RedisClient } from './redisConnection.js';

/** Groups items by the partition of their job id, keeping each one's place in the input. */
function byPartition<T>(items: readonly T[], idOf: (item: T) => string): Map<number, { item: T; index: number }[]> {
  const groups = new Map<number, { item: T; index: number }[]>();
  items.forEach((item, index) => {
    const partition = partitionOfId(idOf(item));
    const group = groups.get(partition) ?? [];
    group.push({ item, index });
    groups.set(partition, group);
  });
  return groups;
}

/**
 * Cursor of a sweep over every partition: `start/offset/cursor` (the partition is start + offset),
 * with `0-0` only at the start and the end, as XAUTOCLAIM's.
 */
function parseCursor(cursor: string): { start: number; offset: number; cursor: string } | undefined {
  const [start, offset, rest] = cursor.split('/');
  return rest === undefined ? undefined : { start: Number(start), offset: Number(offset), cursor: rest };
}

export function createPartitionedConsumerQueue(
  redis: RedisClient,
  keys: QueueKeys,
  options: ConsumerQueueOptions = {},
  /** Applied to each partition's queue (listeners that pipeline per partition: a Cluster pipeline takes one node's keys). */
  wrap: (queue: ConsumerQueue) => ConsumerQueue = (queue) => queue,
): ConsumerQueue {
  const queues = keys.all().map((partition) => wrap(createConsumerQueue(redis, partition, options)));
  if (queues.length === 1) return queues[0]!;
  const queueOf = (id: string): ConsumerQueue => {
    const queue = queues[partitionOfId(id)];
    if (!queue)
      throw new Error(`analysis ${id} names partition ${partitionOfId(id)}, but the queue has ${queues.length}`);
    return queue;
  };
  // Per consumer: the partition its next read starts with.
  const nextRead = new Map<string, number>();
  let sweepStart = 0;

  async function inGroups<T, R>(
    items: readonly T[],
    idOf: (item: T) => string,
    call: (queue: ConsumerQueue, items: T[]) => Promise<R[]>,
  ): Promise<R[]> {
    const results = new Array<R>(items.length);
    await Promise.all(
      [...byPartition(items, idOf)].map(async ([partition, group]) => {
        const queue = queues[partition];
        if (!queue) throw new Error(`partition ${partition} does not exist (the queue has ${queues.length})`);
        const replies = await call(
          queue,
          group.map(({ item }) => item),
        );
        group.forEach(({ index }, position) => (results[index] = replies[position]!));
      }),
    );
    return results;
  }

  return {
    async readNew(blocking, consumer, count, blockMs) {
      // First a pass over every partition that does not wait, starting after the one that last
      // gave entries: a busy partition is served at once, and none is skipped for long.
      const start = nextRead.get(consumer) ?? 0;
      for (let step = 0; step < queues.length; step += 1) {
        const partition = (start + step) % queues.length;
        const entries = await queues[partition]!.readNew(blocking, consumer, count, 0);
        if (entries.length > 0) {
          nextRead.set(consumer, (partition + 1) % queues.length);
          return entries;
        }
      }
      // All idle: block on one partition for its share of blockMs, a different one each idle
      // round, so a job on any partition waits about blockMs / partitions at most.
      nextRead.set(consumer, (start + 1) % queues.length);
      const share = Math.max(1, Math.ceil(blockMs / queues.length));
      return queues[start]!.readNew(blocking, consumer, count, share);
    },
    async readOwnPending(blocking, consumer, count) {
      const found: StreamEntry[] = [];
      for (const queue of queues) {
        if (found.length >= count) break;
        found.push(...(await queue.readOwnPending(blocking, consumer, count - found.length)));
      }
      return found;
    },
    async pendingCount(consumer) {
      const counts = await Promise.all(queues.map((queue) => queue.pendingCount(consumer)));
      return counts.reduce((total, count) => total + count, 0);
    },
    async removeConsumer(consumer) {
      await Promise.all(queues.map((queue) => queue.removeConsumer(consumer)));
    },
    async removeConsumerIfIdle(consumer) {
      const replies = await Promise.all(queues.map((queue) => queue.removeConsumerIfIdle(consumer)));
      return {
        removed: replies.every((reply) => reply.removed),
        pending: replies.reduce((total, reply) => total + reply.pending, 0),
      };
    },
    async claimBatch(entries, ownerTokenFor, consumer) {
      const report: ClaimReport = { claimed: [], skipped: [] };
      await Promise.all(
        [...byPartition(entries, (entry) => entry.analysisId)].map(async ([partition, group]) => {
          const queue = queues[partition];
          if (!queue) throw new Error(`partition ${partition} does not exist (the queue has ${queues.length})`);
          const part = await queue.claimBatch(
            group.map(({ item }) => item),
            ownerTokenFor,
            consumer,
          );
          report.claimed.push(...part.claimed);
          report.skipped.push(...part.skipped);
        }),
      );
      return report;
    },
    refreshClaimStates: (consumer, jobs) =>
      inGroups<(typeof jobs)[number], ClaimState>(
        jobs,
        (job) => job.analysisId,
        (queue, part) => queue.refreshClaimStates(consumer, part),
      ),
    releaseRun: (analysisId, ownerToken) => queueOf(analysisId).releaseRun(analysisId, ownerToken),
    retry: (request) => queueOf(request.analysisId).retry(request),
    async takeOverIdle(consumer, minIdleMs, count, cursor) {
      // A new sweep starts one partition further than the last: a sweep cut short by its limit
      // does not leave the later partitions unswept for good.
      const parsed = parseCursor(cursor);
      const at = parsed ?? { start: sweepStart, offset: 0, cursor: '0-0' };
      if (!parsed) sweepStart = (sweepStart + 1) % queues.length;
      const partition = (at.start + at.offset) % queues.length;
      const page = await queues[partition]!.takeOverIdle(consumer, minIdleMs, count, at.cursor);
      if (page.cursor !== '0-0') return { cursor: `${at.start}/${at.offset}/${page.cursor}`, entries: page.entries };
      const next = at.offset + 1;
      return { cursor: next < queues.length ? `${at.start}/${next}/0-0` : '0-0', entries: page.entries };
    },
    appendProgress: (analysisId, ownerToken, event) =>
      queueOf(analysisId).appendProgress(analysisId, ownerToken, event),
    finishWithStatus: (requests) =>
      inGroups<FinishRequest, FinishRequest['status'] | undefined>(
        requests,
        (request) => request.analysisId,
        (queue, part) => queue.finishWithStatus(part),
      ),
    async trimAcknowledged() {
      const trimmed = await Promise.all(queues.map((queue) => queue.trimAcknowledged()));
      return trimmed.reduce((total, count) => total + count, 0);
    },
  };
}
