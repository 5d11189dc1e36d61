/**
 * One archiver batch: take over entries dead archivers left idle, read this archiver's own
 * unacknowledged entries (or new ones), upsert each terminal record into MongoDB by
 * analysis_id, then acknowledge what is safely stored. An entry whose upsert failed stays
 * pending and comes back in the next batch; the upsert is idempotent, so archiving one twice
 * writes it once.
 */
import type { ArchiveEntry, ArchiveOutbox } from '../storage/archiveOutbox.js';
import { isTerminal, type JobRecord } from '../storage/jobRecord.js';
import type { AnalysisHistory } from '../storage/mongo/mongoHistoryStore.js';

export interface ArchiveBatchDeps {
  outbox: Pick<ArchiveOutbox, 'read' | 'takeOverIdle' | 'removeDeadConsumers' | 'records' | 'acknowledge'>;
  history: Pick<AnalysisHistory, 'archiveMany'>;
  consumer: string;
  batchSize: number;
  /**
   * Entries idle longer than this in another archiver's pending list are taken over, and
   * archivers idle this long with nothing left pending are removed from the group (0: not this batch).
   */
  takeOverIdleMs: number;
}

export interface ArchiveBatchResult {
  /** Entries read. */
  read: number;
  /** Records upserted into MongoDB (inserted, updated or already there). */
  archived: number;
  acknowledged: number;
  /** Whether MongoDB answered every upsert: undefined when none was needed. */
  mongoOk: boolean | undefined;
  mongoError?: Error;
}

export async function archiveBatch(deps: ArchiveBatchDeps): Promise<ArchiveBatchResult> {
  if (deps.takeOverIdleMs > 0) {
    await deps.outbox.takeOverIdle(deps.consumer, deps.takeOverIdleMs, deps.batchSize);
    await deps.outbox.removeDeadConsumers(deps.consumer, deps.takeOverIdleMs);
  }
  const entries = await deps.outbox.read(deps.consumer, deps.batchSize);
  if (entries.length === 0) return { read: 0, archived: 0, acknowledged: 0, mongoOk: undefined };
  const records = await deps.outbox.records(entries);
  const done: ArchiveEntry[] = [];
  const toArchive: { entry: ArchiveEntry; record: JobRecord }[] = [];
  entries.forEach((entry, index) => {
    const record = records[index];
    // Gone, or live again after a replay: nothing to archive now (a replayed job is archived when it ends again).
    if (!record || !isTerminal(record.status)) done.push(entry);
    else toArchive.push({ entry, record });
  });
  let archived = 0;
  let mongoError: Error | undefined;
  if (toArchive.length > 0) {
    // One bulk write per batch: a round trip per record made MongoDB's latency the archiver's pace.
    const result = await deps.history.archiveMany(toArchive.map(({ record }) => record));
    toArchive.forEach(({ entry }, index) => {
      if (!result.stored[index]) return;
      archived += 1;
      done.push(entry);
    });
    mongoError = result.error;
  }
  const acknowledged = await deps.outbox.acknowledge(done);
  const needed = archived > 0 || mongoError !== undefined;
  return {
    read: entries.length,
    archived,
    acknowledged,
    mongoOk: needed ? mongoError === undefined : undefined,
    ...(mongoError ? { mongoError } : {}),
  };
}
