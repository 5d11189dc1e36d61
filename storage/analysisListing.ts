/**
 * analysis.list across both stores: the user's index in Redis (live and recently finished
 * jobs) and, with MongoDB, the history of finished ones. Both are ordered by (created_at,
 * analysis_id), newest first, and a page cursor is a position in that order
 * (historyCursor.ts), so a page merges the next items of each store, an analysis in both is
 * served once (its Redis copy), and paging neither repeats nor skips one while jobs expire
 * from Redis into MongoDB.
 *
 * Redis filters by reading the small fields of the user's index entries in the created-at
 * range (scores), at most MAX_SCANNED per call; a page that stops there says so with a
 * cursor, and the next call resumes after it. Ids whose record expired are trimmed from the
 * index as they are met.
 */
import type { QueueKeys } from './keys.js';
import { type JobRecord, type JobStatus, readJobRecord, recordFromHash } from './jobRecord.js';
import { decodeHistoryCursor, encodeHistoryCursor, type HistoryPosition } from './mongo/historyCursor.js';
import type { AnalysisHistory } from './mongo/mongoHistoryStore.js';
import type { RedisClient } from './redisConnection.js';

export interface ListFilters {
  symbol?: string;
  interval?: string;
  status?: JobStatus;
  /** Inclusive. */
  createdFrom?: Date;
  /** Exclusive. */
  createdTo?: Date;
}

export interface ListQuery extends ListFilters {
  userId: string;
  limit: number;
  cursor?: string;
}

export interface ListPage {
  /**
   * Matching analyses over both stores from this page on (on the first page: all of them),
   * each counted once; in Redis, within the entries one call scans.
   */
  total: number;
  analyses: JobRecord[];
  nextCursor: string | null;
}

/** Index entries one call looks at, at most: a page of a very selective filter may stop early (with a cursor). */
export const MAX_SCANNED = 5000;
const CHUNK = 200;
const SMALL_FIELDS = ['status', 'symbol', 'interval', 'archived_at'] as const;

interface Scanned {
  position: HistoryPosition;
  archived: boolean;
}

const newerFirst = (a: HistoryPosition, b: HistoryPosition) =>
  b.createdAt.getTime() - a.createdAt.getTime() ||
  (a.analysisId < b.analysisId ? 1 : a.analysisId > b.analysisId ? -1 : 0);

/** Strictly after `cursor` in the listing's order (older, or as old with a smaller id). */
const isAfter = (position: HistoryPosition, cursor: HistoryPosition) => newerFirst(position, cursor) > 0;

export function createAnalysisListing(
  redis: RedisClient,
  keys: QueueKeys,
  history?: Pick<AnalysisHistory, 'list' | 'count' | 'get'>,
) {
  /** The user's index entries after the cursor that match, in order; `stoppedAt` when the scan hit MAX_SCANNED. */
  async function scanRedis(
    query: ListQuery,
    after: HistoryPosition | undefined,
  ): Promise<{ matches: Scanned[]; stoppedAt?: HistoryPosition }> {
    const key = keys.userJobs(query.userId);
    const upper = Math.min(
      after ? after.createdAt.getTime() : Infinity,
      query.createdTo ? query.createdTo.getTime() - 1 : Infinity,
    );
    const max = upper === Infinity ? '+inf' : String(upper);
    const min = query.createdFrom ? String(query.createdFrom.getTime()) : '-inf';
    const matches: Scanned[] = [];
    let scanned = 0;
    let last: HistoryPosition | undefined;
    let offset = 0;
    while (scanned < MAX_SCANNED) {
      const flat = await redis.zrevrangebyscore(key, max, min, 'WITHSCORES', 'LIMIT', offset, CHUNK);
      if (flat.length === 0) return { matches };
      const entries: HistoryPosition[] = [];
      for (let index = 0; index + 1 < flat.length; index += 2)
        entries.push({ analysisId: flat[index]!, createdAt: new Date(Number(flat[index + 1])) });
      const pipeline = redis.pipeline();
      for (const entry of entries) pipeline.hmget(keys.job(entry.analysisId), ...SMALL_FIELDS);
      const replies = (await pipeline.exec()) ?? [];
      const expired: string[] = [];
      entries.forEach((position, index) => {
        const [error, reply] = replies[index] ?? [];
        if (error) throw error;
        const [status, symbol, interval, archivedAt] = reply as (string | null)[];
        scanned += 1;
        last = position;
        if (after && !isAfter(position, after)) return;
        if (status === null || status === undefined) {
          expired.push(position.analysisId);
          return;
        }
        if (query.status !== undefined && status !== query.status) return;
        if (query.symbol !== undefined && symbol !== query.symbol) return;
        if (query.interval !== undefined && interval !== query.interval) return;
        matches.push({ position, archived: archivedAt !== null && archivedAt !== undefined });
      });
      // Trim on read: these ids' records have expired (the sweeper would drop them soon anyway).
      // The removed ids were in this chunk: the next one starts that much earlier.
      if (expired.length > 0) await redis.zrem(key, ...expired);
      offset += entries.length - expired.length;
      if (flat.length < CHUNK * 2 || matches.length > query.limit) return { matches };
    }
    return last ? { matches, stoppedAt: last } : { matches };
  }

  async function records(ids: readonly string[]): Promise<Map<string, JobRecord>> {
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(keys.job(id));
    const replies = (await pipeline.exec()) ?? [];
    const found = new Map<string, JobRecord>();
    replies.forEach(([error, hash], index) => {
      if (error) throw error;
      const record = recordFromHash(hash as Record<string, string>, ids[index]);
      if (record) found.set(record.analysis_id, record);
    });
    return found;
  }

  async function list(query: ListQuery): Promise<ListPage> {
    const after = query.cursor === undefined ? undefined : decodeHistoryCursor(query.cursor);
    const { cursor: _cursor, limit: _limit, ...filters } = query;
    const [redisPart, mongoPage, mongoTotal] = await Promise.all([
      scanRedis(query, after),
      history?.list({ ...filters, limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) }),
      history?.count({ ...filters, ...(query.cursor ? { cursor: query.cursor } : {}) }),
    ]);
    const mongoItems = mongoPage?.analyses ?? [];
    // Beyond what a store returned, its items are unknown: nothing older than its last known position may be served yet.
    const boundaries: HistoryPosition[] = [];
    if (redisPart.stoppedAt) boundaries.push(redisPart.stoppedAt);
    const lastMongo = mongoItems[mongoItems.length - 1];
    if (mongoPage?.nextCursor && lastMongo)
      boundaries.push({ createdAt: new Date(lastMongo.created_at), analysisId: lastMongo.analysis_id });
    const boundary = boundaries.sort(newerFirst)[0];

    type Candidate = { position: HistoryPosition; record?: JobRecord };
    const byId = new Map<string, Candidate>();
    for (const record of mongoItems)
      byId.set(record.analysis_id, {
        position: { createdAt: new Date(record.created_at), analysisId: record.analysis_id },
        record,
      });
    // The Redis copy wins: it is at least as fresh.
    for (const match of redisPart.matches.slice(0, query.limit + 1))
      byId.set(match.position.analysisId, { position: match.position });
    const ordered = [...byId.values()]
      .filter((candidate) => !boundary || !isAfter(candidate.position, boundary))
      .sort((a, b) => newerFirst(a.position, b.position));
    const page = ordered.slice(0, query.limit);
    const fromRedis = await records(page.filter((item) => !item.record).map((item) => item.position.analysisId));
    const analyses = page.flatMap((item) => {
      const record = item.record ?? fromRedis.get(item.position.analysisId);
      return record ? [record] : [];
    });

    const more = ordered.length > query.limit || boundary !== undefined || redisPart.matches.length > query.limit;
    const lastServed = page[page.length - 1]?.position;
    const next = !more ? undefined : page.length === query.limit ? lastServed : (boundary ?? lastServed);
    const unarchived = redisPart.matches.filter((match) => !match.archived).length;
    return {
      total: history ? (mongoTotal ?? 0) + unarchived : redisPart.matches.length,
      analyses,
      nextCursor: next ? encodeHistoryCursor(next) : null,
    };
  }

  /** One analysis: Redis first, then the history (same ownership rule: the caller's own only). */
  async function get(analysisId: string, userId: string): Promise<JobRecord | undefined> {
    const record = await readJobRecord(redis, keys, analysisId);
    if (record) return record.user_id === userId ? record : undefined;
    return history?.get(analysisId, userId);
  }

  return { list, get };
}

export type AnalysisListing = ReturnType<typeof createAnalysisListing>;
