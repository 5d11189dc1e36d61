/**
 * The indexes of the `analyses` collection. Lists put the user first (every read is one
 * user's), then the equality filters, then the page order (created_at, analysis_id), so a
 * filtered page is an index range. The TTL index expires an analysis `historyTtlSeconds`
 * after it finished; 0 keeps analyses forever.
 */
import { MongoServerError, type Collection, type IndexDescription } from 'mongodb';
import type { AnalysisDocument } from './analysisDocument.js';

export const TTL_INDEX = 'finished_at_ttl';

export const HISTORY_INDEXES: IndexDescription[] = [
  { key: { analysis_id: 1 }, name: 'analysis_id_unique', unique: true },
  { key: { user_id: 1, created_at: -1, analysis_id: -1 }, name: 'user_created' },
  {
    key: { user_id: 1, symbol: 1, interval: 1, created_at: -1, analysis_id: -1 },
    name: 'user_symbol_interval_created',
  },
  { key: { user_id: 1, status: 1, created_at: -1, analysis_id: -1 }, name: 'user_status_created' },
];

const INDEX_OPTIONS_CONFLICT = 85;
const NAMESPACE_NOT_FOUND = 26;
const INDEX_NOT_FOUND = 27;

export async function ensureHistoryIndexes(
  collection: Collection<AnalysisDocument>,
  historyTtlSeconds: number,
): Promise<void> {
  await collection.createIndexes(HISTORY_INDEXES);
  if (historyTtlSeconds === 0) {
    await collection.dropIndex(TTL_INDEX).catch((error: unknown) => {
      if (!(
        error instanceof MongoServerError &&
        (error.code === INDEX_NOT_FOUND || error.code === NAMESPACE_NOT_FOUND)
      ))
        throw error;
    });
    return;
  }
  try {
    await collection.createIndex({ finished_at: 1 }, { name: TTL_INDEX, expireAfterSeconds: historyTtlSeconds });
  } catch (error) {
    // The TTL changed since the index was made: change it in place rather than rebuild it.
    if (!(error instanceof MongoServerError && error.code === INDEX_OPTIONS_CONFLICT)) throw error;
    await collection.db.command({
      collMod: collection.collectionName,
      index: { name: TTL_INDEX, expireAfterSeconds: historyTtlSeconds },
    });
  }
}
