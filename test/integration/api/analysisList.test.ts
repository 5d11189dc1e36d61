/**
 * analysis.list over both stores: an analysis only in MongoDB (its Redis copy expired), in
 * both (archived, not yet expired) or only in Redis (live, or not archived yet) is listed
 * once, newest first, and paging by cursor with any filter (symbol, interval, status,
 * created range) returns exactly the matching analyses, none twice, none skipped, and never
 * another user's.
 */
import { jest } from '@jest/globals';
import { type TRPCError } from '@trpc/server';
import { newAnalysisId } from '../../../storage/analysisId.js';
import type { JobRecord, JobStatus } from '../../../storage/jobRecord.js';
import { createMongoHistoryStore } from '../../../storage/mongo/mongoHistoryStore.js';
import { startMongoTarget, type MongoTarget } from '../../support/mongoTarget.js';
import { type Caller, type InProcessApi, startInProcessApi } from './inProcessApi.js';

jest.setTimeout(120_000);

let api: InProcessApi;
let mongo: MongoTarget;
const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
const INTERVALS = ['1h', '4h'];
const TERMINAL: JobStatus[] = ['completed', 'failed', 'cancelled'];
const T0 = Date.parse('2026-03-01T00:00:00Z');

interface Seeded {
  record: JobRecord;
  where: 'mongo' | 'both' | 'redis';
}
const seeded: Seeded[] = [];

function record(user: string, index: number, status: JobStatus): JobRecord {
  // Every fourth shares its created_at with the one before: ties are ordered by id.
  const createdAt = new Date(T0 + Math.floor(index - (index % 4 === 3 ? 1 : 0)) * 60_000).toISOString();
  return {
    analysis_id: newAnalysisId(),
    user_id: user,
    symbol: SYMBOLS[index % 3]!,
    interval: INTERVALS[index % 2]!,
    timeframe: '1d',
    status,
    created_at: createdAt,
    updated_at: new Date(Date.parse(createdAt) + 5000).toISOString(),
    attempts: 0,
    error: null,
    image_url: null,
    llm_summary: null,
    summary_source: null,
    analysis_data: null,
  };
}

async function seed(user: string): Promise<void> {
  const history = createMongoHistoryStore(mongo.connection.db);
  const redis = api.redis.client;
  const keys = api.services.keys;
  for (let index = 0; index < 60; index += 1) {
    const where = index < 25 ? 'mongo' : index < 40 ? 'both' : 'redis';
    const status = where === 'redis' && index % 3 === 0 ? (index % 2 ? 'queued' : 'processing') : TERMINAL[index % 3]!;
    const job = record(user, index, status);
    if (where !== 'redis') await history.archive(job);
    if (where !== 'mongo') {
      await redis.hset(keys.job(job.analysis_id), {
        analysis_id: job.analysis_id,
        user_id: user,
        symbol: job.symbol,
        interval: job.interval,
        timeframe: job.timeframe,
        status: job.status,
        created_at: Date.parse(job.created_at),
        updated_at: Date.parse(job.updated_at),
        attempts: 0,
        ...(where === 'both' ? { archived_at: Date.now() } : {}),
      });
      await redis.zadd(keys.userJobs(user), Date.parse(job.created_at), job.analysis_id);
    }
    seeded.push({ record: job, where });
  }
}

beforeAll(async () => {
  api = await startInProcessApi();
  mongo = await startMongoTarget('list');
  const history = createMongoHistoryStore(mongo.connection.db);
  await history.ensureIndexes();
  api.services.mongo = { history, ping: () => Promise.resolve(true) };
  await seed('lister');
  await seed('someone-else');
});
afterAll(async () => {
  await mongo.stop();
  await api.stop();
});

type ListInput = Parameters<Caller['analysis']['list']>[0];

async function pageThrough(caller: Caller, input: ListInput & object, limit: number) {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await caller.analysis.list({ ...input, limit, ...(cursor ? { cursor } : {}) });
    if (pages === 0) expect(typeof page.total).toBe('number');
    ids.push(...page.analyses.map((job) => job.analysis_id));
    cursor = page.next_cursor ?? undefined;
    pages += 1;
    expect(pages).toBeLessThan(100);
  } while (cursor);
  return ids;
}

function expected(user: string, keep: (job: JobRecord) => boolean, stores: Seeded['where'][]): string[] {
  return seeded
    .filter((item) => item.record.user_id === user && stores.includes(item.where) && keep(item.record))
    .map((item) => item.record)
    .sort(
      (a, b) =>
        Date.parse(b.created_at) - Date.parse(a.created_at) ||
        (a.analysis_id < b.analysis_id ? 1 : a.analysis_id > b.analysis_id ? -1 : 0),
    )
    .map((job) => job.analysis_id);
}

const FILTERS: { name: string; input: ListInput & object; keep: (job: JobRecord) => boolean }[] = [
  { name: 'no filter', input: {}, keep: () => true },
  { name: 'symbol', input: { symbol: 'ETHUSDT' }, keep: (job) => job.symbol === 'ETHUSDT' },
  { name: 'interval', input: { interval: '4h' }, keep: (job) => job.interval === '4h' },
  { name: 'status', input: { status: 'failed' }, keep: (job) => job.status === 'failed' },
  { name: 'live status', input: { status: 'queued' }, keep: (job) => job.status === 'queued' },
  {
    name: 'created range',
    input: {
      created_after: new Date(T0 + 10 * 60_000).toISOString(),
      created_before: new Date(T0 + 45 * 60_000).toISOString(),
    },
    keep: (job) => Date.parse(job.created_at) >= T0 + 10 * 60_000 && Date.parse(job.created_at) < T0 + 45 * 60_000,
  },
  {
    name: 'symbol + interval + range',
    input: { symbol: 'BTCUSDT', interval: '1h', created_after: new Date(T0 + 5 * 60_000).toISOString() },
    keep: (job) => job.symbol === 'BTCUSDT' && job.interval === '1h' && Date.parse(job.created_at) >= T0 + 5 * 60_000,
  },
];

describe.each([3, 7, 100])('pages of %i', (limit) => {
  test.each(FILTERS)('$name: every match once, newest first, across Redis and MongoDB', async ({ input, keep }) => {
    const caller = api.caller(await api.token('lister'));
    const ids = await pageThrough(caller, input, limit);
    const want = expected('lister', keep, ['mongo', 'both', 'redis']);
    expect(want.length).toBeGreaterThan(0);
    expect(ids).toEqual(want);
  });
});

test('the first page counts every match over both stores once', async () => {
  const caller = api.caller(await api.token('lister'));
  const page = await caller.analysis.list({ status: 'completed', limit: 5 });
  expect(page.total).toBe(expected('lister', (job) => job.status === 'completed', ['mongo', 'both', 'redis']).length);
  expect(page.analyses).toHaveLength(5);
  expect(page.analyses.every((job) => job.user_id === 'lister')).toBe(true);
});

test('without MongoDB the list pages the Redis index alone, with the same filters', async () => {
  const saved = api.services.mongo;
  delete api.services.mongo;
  try {
    const caller = api.caller(await api.token('lister'));
    expect(await pageThrough(caller, { symbol: 'SOLUSDT' }, 4)).toEqual(
      expected('lister', (job) => job.symbol === 'SOLUSDT', ['both', 'redis']),
    );
  } finally {
    if (saved) api.services.mongo = saved;
  }
});

test('a cursor the list did not return, and a malformed date, are 400s naming the field; offset with filters is refused', async () => {
  const caller = api.caller(await api.token('lister'));
  const badCursor = await caller.analysis.list({ cursor: 'not-a-cursor' }).catch((caught: unknown) => caught);
  expect((badCursor as TRPCError).code).toBe('BAD_REQUEST');
  expect((badCursor as TRPCError).message).toMatch(/^cursor:/);
  const badDate = await caller.analysis.list({ created_after: 'yesterday' }).catch((caught: unknown) => caught);
  expect((badDate as TRPCError).code).toBe('BAD_REQUEST');
  expect((badDate as TRPCError).message).toMatch(/created_after/);
  const offsetFiltered = await caller.analysis
    .list({ offset: 5, symbol: 'BTCUSDT' })
    .catch((caught: unknown) => caught);
  expect((offsetFiltered as TRPCError).message).toMatch(/^offset:/);
});
