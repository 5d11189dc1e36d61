/**
 * The per-partition stores of the worker and the admin side (retry schedule, retention sweep,
 * archive outbox, dead letters) over every partition of the queue, behind their one-partition
 * interfaces. Each call about a job goes to the partition its id names; calls about the whole
 * queue visit every partition, one script per partition (a script touches one slot).
 */
import { type ArchiveEntry, type ArchiveOutbox, createArchiveOutbox, type OutboxOptions } from './archiveOutbox.js';
import { createDeadLetters, type DeadLetterOptions, type DeadLetters } from './deadLetters.js';
import { partitionOfId, type QueueKeys } from './keys.js';
import type { RedisClient } from './redisConnection.js';
import { createRetentionSweep, type RetentionSweep } from './retentionSweep.js';
import { createRetrySchedule, type RetrySchedule } from './retrySchedule.js';

const sum = (counts: readonly number[]) => counts.reduce((total, count) => total + count, 0);

function groupByPartition<T extends { analysisId: string }>(items: readonly T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const partition = partitionOfId(item.analysisId);
    groups.set(partition, [...(groups.get(partition) ?? []), item]);
  }
  return groups;
}

export function createPartitionedRetrySchedule(redis: RedisClient, keys: QueueKeys): RetrySchedule {
  const schedules = keys.all().map((partition) => createRetrySchedule(redis, partition));
  if (schedules.length === 1) return schedules[0]!;
  return {
    async moveDue(now, limit) {
      return (await Promise.all(schedules.map((schedule) => schedule.moveDue(now, limit)))).flat();
    },
    async scheduled() {
      return (await Promise.all(schedules.map((schedule) => schedule.scheduled()))).flat();
    },
  };
}

export function createPartitionedRetentionSweep(redis: RedisClient, keys: QueueKeys): RetentionSweep {
  const sweeps = keys.all().map((partition) => createRetentionSweep(redis, partition));
  if (sweeps.length === 1) return sweeps[0]!;
  return {
    async sweep(now, limit) {
      const results = await Promise.all(sweeps.map((sweep) => sweep.sweep(now, limit)));
      // `due` tells the sweeper to call again at once: the fullest partition decides.
      return {
        due: Math.max(...results.map((result) => result.due)),
        dropped: sum(results.map((result) => result.dropped)),
      };
    },
  };
}

export function createPartitionedArchiveOutbox(
  redis: RedisClient,
  keys: QueueKeys,
  options: OutboxOptions,
): ArchiveOutbox {
  const outboxes = keys.all().map((partition) => createArchiveOutbox(redis, partition, options));
  if (outboxes.length === 1) return outboxes[0]!;
  let nextRead = 0;
  const outboxOf = (partition: number): ArchiveOutbox => {
    const outbox = outboxes[partition];
    if (!outbox) throw new Error(`partition ${partition} does not exist (the queue has ${outboxes.length})`);
    return outbox;
  };
  return {
    // Partitions in turn, starting after the last one that had entries: none waits behind a busy one.
    async read(consumer, count) {
      for (let step = 0; step < outboxes.length; step += 1) {
        const partition = (nextRead + step) % outboxes.length;
        const entries = await outboxes[partition]!.read(consumer, count);
        if (entries.length > 0) {
          nextRead = (partition + 1) % outboxes.length;
          return entries;
        }
      }
      return [];
    },
    async takeOverIdle(consumer, minIdleMs, count) {
      return (await Promise.all(outboxes.map((outbox) => outbox.takeOverIdle(consumer, minIdleMs, count)))).flat();
    },
    async removeDeadConsumers(consumer, minIdleMs) {
      return (await Promise.all(outboxes.map((outbox) => outbox.removeDeadConsumers(consumer, minIdleMs)))).flat();
    },
    async records(entries) {
      const found = new Map<ArchiveEntry, Awaited<ReturnType<ArchiveOutbox['records']>>[number]>();
      await Promise.all(
        [...groupByPartition(entries)].map(async ([partition, group]) => {
          const records = await outboxOf(partition).records(group);
          group.forEach((entry, index) => found.set(entry, records[index]));
        }),
      );
      return entries.map((entry) => found.get(entry));
    },
    async acknowledge(entries) {
      const groups = [...groupByPartition(entries)];
      return sum(await Promise.all(groups.map(([partition, group]) => outboxOf(partition).acknowledge(group))));
    },
    async backlog() {
      return sum(await Promise.all(outboxes.map((outbox) => outbox.backlog())));
    },
  };
}

export function createPartitionedDeadLetters(
  redis: RedisClient,
  keys: QueueKeys,
  options: DeadLetterOptions = {},
): DeadLetters {
  const letters = keys.all().map((partition) => createDeadLetters(redis, partition, options));
  if (letters.length === 1) return letters[0]!;
  return {
    // Oldest first over all partitions, as one stream would list them.
    async list(listOptions = {}) {
      const all = (await Promise.all(letters.map((partition) => partition.list(listOptions)))).flat();
      all.sort((a, b) => a.at.localeCompare(b.at) || a.analysis_id.localeCompare(b.analysis_id));
      return all.slice(0, listOptions.limit ?? 1000);
    },
    async replay(analysisId) {
      return letters[partitionOfId(analysisId)]?.replay(analysisId);
    },
    async replayAll() {
      const results = [];
      for (const partition of letters) results.push(...(await partition.replayAll()));
      return results;
    },
  };
}
