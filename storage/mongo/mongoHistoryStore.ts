/**
 * Finished analyses in MongoDB (`analyses`), the system of record once their Redis copy
 * expired. Records go in and come out in the job-record shape that Redis serves, under the
 * same ownership rule: a user sees only their own analyses.
 */
import { MongoBulkWriteError, MongoServerError, type AnyBulkWriteOperation, type Db, type Filter } from 'mongodb';
import type { JobRecord, JobStatus } from '../jobRecord.js';
import { documentFromRecord, recordFromDocument, type AnalysisDocument } from './analysisDocument.js';
import { decodeHistoryCursor, encodeHistoryCursor } from './historyCursor.js';
import { ensureHistoryIndexes } from './historyIndexes.js';

export const ANALYSES_COLLECTION = 'analyses';
export const DEFAULT_HISTORY_TTL_SECONDS = 90 * 24 * 60 * 60;
export const MAX_HISTORY_PAGE = 100;

/**
 * inserted / updated: this call wrote. unchanged: the same copy was already there.
 * superseded: a copy at least as recent (a later attempt after a replay, or a concurrent
 * archive of the same one) is there, and was kept.
 */
export type ArchiveOutcome = 'inserted' | 'updated' | 'unchanged' | 'superseded';

export interface HistoryQuery {
  userId: string;
  symbol?: string;
  interval?: string;
  status?: JobStatus;
  /** Inclusive lower bound of created_at. */
  createdFrom?: Date;
  /** Exclusive upper bound of created_at. */
  createdTo?: Date;
  /** The nextCursor of the previous page. */
  cursor?: string;
  limit: number;
}

export interface HistoryPage {
  analyses: JobRecord[];
  /** Null on the last page. */
  nextCursor: string | null;
}

/** archiveMany's answer: stored[i] says whether records[i] is safely in MongoDB (written, or a copy at least as recent is). */
export interface ArchiveManyResult {
  stored: boolean[];
  /** The first error met, when any record was not stored. */
  error?: Error;
}

export interface AnalysisHistory {
  ensureIndexes(): Promise<void>;
  archive(record: JobRecord): Promise<ArchiveOutcome>;
  /** Archives a batch in one unordered bulk write (one round trip): the same upsert as archive, per record. */
  archiveMany(records: readonly JobRecord[]): Promise<ArchiveManyResult>;
  get(analysisId: string, userId: string): Promise<JobRecord | undefined>;
  list(query: HistoryQuery): Promise<HistoryPage>;
  /** How many analyses match the query's filters, from its cursor on (its limit aside). */
  count(query: Omit<HistoryQuery, 'limit'>): Promise<number>;
}

const DUPLICATE_KEY = 11000;

export function createMongoHistoryStore(db: Db, options: { historyTtlSeconds?: number } = {}): AnalysisHistory {
  const analyses = db.collection<AnalysisDocument>(ANALYSES_COLLECTION);
  const historyTtlSeconds = options.historyTtlSeconds ?? DEFAULT_HISTORY_TTL_SECONDS;
  if (!Number.isInteger(historyTtlSeconds) || historyTtlSeconds < 0)
    throw new Error(`history TTL must be a whole number of seconds >= 0 (0 keeps forever), got ${historyTtlSeconds}`);

  // Matching only an older-or-equal copy makes a stale redelivery fall through to the
  // insert, which the unique index on analysis_id refuses: the newer copy stays.
  const upsertOf = (document: AnalysisDocument) =>
    [
      { analysis_id: document.analysis_id, updated_at: { $lte: document.updated_at } },
      { $set: document },
      { upsert: true },
    ] as const;

  return {
    ensureIndexes: () => ensureHistoryIndexes(analyses, historyTtlSeconds),

    async archive(record) {
      const document = documentFromRecord(record);
      try {
        const result = await analyses.updateOne(...upsertOf(document));
        if (result.upsertedCount === 1) return 'inserted';
        return result.modifiedCount === 1 ? 'updated' : 'unchanged';
      } catch (error) {
        if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return 'superseded';
        throw error;
      }
    },

    async archiveMany(records) {
      const stored = records.map(() => false);
      let error: Error | undefined;
      const operations: AnyBulkWriteOperation<AnalysisDocument>[] = [];
      const positions: number[] = [];
      records.forEach((record, position) => {
        try {
          const [filter, update, options] = upsertOf(documentFromRecord(record));
          operations.push({ updateOne: { filter, update, upsert: options.upsert } });
          positions.push(position);
        } catch (refused) {
          error ??= refused as Error;
        }
      });
      if (operations.length === 0) return { stored, ...(error ? { error } : {}) };
      try {
        await analyses.bulkWrite(operations, { ordered: false });
        for (const position of positions) stored[position] = true;
      } catch (failure) {
        if (!(failure instanceof MongoBulkWriteError)) return { stored, error: failure as Error };
        // Unordered: every operation ran; only those with a write error other than "a newer copy is there" failed.
        const failed = new Set<number>();
        for (const writeError of [failure.writeErrors].flat()) {
          if (writeError.code === DUPLICATE_KEY) continue;
          failed.add(writeError.index);
          error ??= new Error(writeError.errmsg ?? `write error ${writeError.code}`);
        }
        // A write-concern error leaves every write unconfirmed.
        if (failure.writeConcernError) error ??= failure;
        else for (const [at, position] of positions.entries()) if (!failed.has(at)) stored[position] = true;
      }
      return { stored, ...(error ? { error } : {}) };
    },

    async get(analysisId, userId) {
      const document = await analyses.findOne({ analysis_id: analysisId, user_id: userId }, { projection: { _id: 0 } });
      return document ? recordFromDocument(document) : undefined;
    },

    async list(query) {
      const limit = Math.min(Math.max(1, Math.floor(query.limit)), MAX_HISTORY_PAGE);
      const filter = historyFilter(query);
      const documents = await analyses
        .find(filter, { projection: { _id: 0 } })
        .sort({ created_at: -1, analysis_id: -1 })
        .limit(limit + 1)
        .toArray();
      const page = documents.slice(0, limit);
      const last = page[page.length - 1];
      return {
        analyses: page.map(recordFromDocument),
        nextCursor:
          documents.length > limit && last
            ? encodeHistoryCursor({ createdAt: last.created_at, analysisId: last.analysis_id })
            : null,
      };
    },

    count: (query) => analyses.countDocuments(historyFilter({ ...query, limit: 1 })),
  };
}

function historyFilter(query: HistoryQuery): Filter<AnalysisDocument> {
  const filter: Filter<AnalysisDocument> = { user_id: query.userId };
  if (query.symbol !== undefined) filter.symbol = query.symbol;
  if (query.interval !== undefined) filter.interval = query.interval;
  if (query.status !== undefined) filter.status = query.status;
  if (query.createdFrom !== undefined || query.createdTo !== undefined) {
    filter.created_at = {
      ...(query.createdFrom && { $gte: query.createdFrom }),
      ...(query.createdTo && { $lt: query.createdTo }),
    };
  }
  if (query.cursor !== undefined) {
    const after = decodeHistoryCursor(query.cursor);
    filter.$or = [
      { created_at: { $lt: after.createdAt } },
      { created_at: after.createdAt, analysis_id: { $lt: after.analysisId } },
    ];
  }
  return filter;
}
