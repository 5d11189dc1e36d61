/** The MongoDB history store (real MongoDB when MONGODB_URL is set, else the stand-in). */
import { freePort } from '../support/redisServer.js';
import type { JobRecord } from '../../storage/jobRecord.js';
import { connectMongo } from '../../storage/mongo/mongoConnection.js';
import { createMongoHistoryStore, type AnalysisHistory } from '../../storage/mongo/mongoHistoryStore.js';
import { startMongoTarget, type MongoTarget } from '../support/mongoTarget.js';

let target: MongoTarget;
let history: AnalysisHistory;

const base = Date.parse('2026-03-01T00:00:00.000Z');
const record = (n: number, overrides: Partial<JobRecord> = {}): JobRecord => ({
  analysis_id: `analysis_${String(n).padStart(4, '0')}`,
  user_id: 'alice',
  symbol: n % 2 === 0 ? 'BTCUSDT' : 'ETHUSDT',
  interval: n % 3 === 0 ? '1h' : '4h',
  timeframe: '30d',
  status: n % 5 === 0 ? 'failed' : 'completed',
  created_at: new Date(base + Math.floor(n / 2) * 60_000).toISOString(),
  updated_at: new Date(base + Math.floor(n / 2) * 60_000 + 5000).toISOString(),
  attempts: 1,
  error: n % 5 === 0 ? 'market data unavailable' : null,
  image_url: `/charts/analysis_${n}.svg`,
  llm_summary: 'a summary',
  summary_source: 'rule-based',
  analysis_data: { patterns: [{ name: 'doji', index: n }], indicators: { rsi: 51.5 } },
  ...overrides,
});

beforeAll(async () => {
  target = await startMongoTarget('history');
  history = createMongoHistoryStore(target.connection.db, { historyTtlSeconds: 3600 });
  await history.ensureIndexes();
});

afterAll(async () => {
  await target.stop();
});

const analyses = () => target.connection.db.collection('analyses');

test('ensureIndexes creates the unique id, list and TTL indexes, again without error, and follows a changed TTL', async () => {
  await history.ensureIndexes();
  const indexes = await analyses().listIndexes().toArray();
  expect(indexes.find((index) => index.name === 'analysis_id_unique')).toMatchObject({
    key: { analysis_id: 1 },
    unique: true,
  });
  expect(indexes.find((index) => index.name === 'user_created')?.key).toEqual({
    user_id: 1,
    created_at: -1,
    analysis_id: -1,
  });
  expect(indexes.find((index) => index.name === 'finished_at_ttl')).toMatchObject({
    key: { finished_at: 1 },
    expireAfterSeconds: 3600,
  });

  await createMongoHistoryStore(target.connection.db, { historyTtlSeconds: 7200 }).ensureIndexes();
  expect(
    (await analyses().listIndexes().toArray()).find((index) => index.name === 'finished_at_ttl')?.expireAfterSeconds,
  ).toBe(7200);
  await createMongoHistoryStore(target.connection.db, { historyTtlSeconds: 0 }).ensureIndexes();
  expect((await analyses().listIndexes().toArray()).some((index) => index.name === 'finished_at_ttl')).toBe(false);
  await history.ensureIndexes();
  expect(
    (await analyses().listIndexes().toArray()).find((index) => index.name === 'finished_at_ttl')?.expireAfterSeconds,
  ).toBe(3600);
});

test('archiving twice writes once, and get returns the record in the shape Redis serves', async () => {
  const finished = record(1);
  expect(await history.archive(finished)).toBe('inserted');
  expect(await history.archive(finished)).toBe('unchanged');
  expect(await analyses().countDocuments({ analysis_id: finished.analysis_id })).toBe(1);
  expect(await history.get(finished.analysis_id, 'alice')).toEqual(finished);
  const stored = await analyses().findOne({ analysis_id: finished.analysis_id });
  expect(stored?.finished_at).toEqual(new Date(finished.updated_at));
});

test('a later attempt replaces the copy; a stale redelivery after it changes nothing', async () => {
  const failed = record(2, { status: 'failed', error: 'timeout' });
  const completed = record(2, {
    status: 'completed',
    attempts: 2,
    updated_at: new Date(Date.parse(failed.updated_at) + 60_000).toISOString(),
  });
  expect(await history.archive(failed)).toBe('inserted');
  expect(await history.archive(completed)).toBe('updated');
  expect(await history.archive(failed)).toBe('superseded');
  expect(await history.get(completed.analysis_id, 'alice')).toEqual(completed);
  expect(await analyses().countDocuments({ analysis_id: completed.analysis_id })).toBe(1);
});

test('archiveMany stores a batch in one call: new, repeated and newer copies stored, a stale one keeps the newer, a live one refused', async () => {
  const earlier = record(20, { status: 'failed', error: 'timeout' });
  const later = record(20, {
    attempts: 2,
    updated_at: new Date(Date.parse(earlier.updated_at) + 60_000).toISOString(),
  });
  await history.archive(later);
  await history.archive(record(21));
  const result = await history.archiveMany([
    record(22),
    record(21),
    earlier,
    record(23, { status: 'processing' }),
    record(24),
  ]);
  expect(result.stored).toEqual([true, true, true, false, true]);
  expect(result.error?.message).toMatch(/processing; only completed, failed or cancelled/);
  expect(await history.get(later.analysis_id, 'alice')).toEqual(later);
  for (const n of [21, 22, 24]) expect(await analyses().countDocuments({ analysis_id: record(n).analysis_id })).toBe(1);
  expect(await analyses().countDocuments({ analysis_id: record(23).analysis_id })).toBe(0);
  expect(await history.archiveMany([])).toEqual({ stored: [] });
});

test('only finished analyses are archived', async () => {
  await expect(history.archive(record(3, { status: 'processing' }))).rejects.toThrow(
    /processing; only completed, failed or cancelled/,
  );
  expect(await analyses().countDocuments({ analysis_id: record(3).analysis_id })).toBe(0);
});

test("another user's analysis is not found", async () => {
  await history.archive(record(4, { user_id: 'bob' }));
  expect(await history.get(record(4).analysis_id, 'alice')).toBeUndefined();
  expect(await history.get(record(4).analysis_id, 'bob')).toMatchObject({ user_id: 'bob' });
  expect(await history.get('analysis_unknown', 'bob')).toBeUndefined();
});

describe('list', () => {
  const ids = Array.from({ length: 40 }, (_, n) => 100 + n);
  beforeAll(async () => {
    for (const n of ids) await history.archive(record(n, { user_id: 'carol' }));
    await history.archive(record(999, { user_id: 'dave' }));
  });

  test('pages newest first with a stable cursor, ties broken by id, no duplicates or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await history.list({ userId: 'carol', limit: 7, cursor });
      seen.push(...page.analyses.map((analysis) => analysis.analysis_id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
      // A newer analysis arriving mid-paging does not shift the pages after it.
      if (pages === 2)
        await history.archive(
          record(501, {
            user_id: 'carol',
            created_at: new Date(base + 10_000_000).toISOString(),
            updated_at: new Date(base + 10_000_001).toISOString(),
          }),
        );
    } while (cursor);
    const expected = ids
      .map((n) => record(n))
      .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.analysis_id.localeCompare(a.analysis_id))
      .map((r) => r.analysis_id);
    expect(seen).toEqual(expected);
    expect(pages).toBe(6);
  });

  test('filters by symbol, interval, status and a created-at range', async () => {
    const all = async (query: Omit<Parameters<AnalysisHistory['list']>[0], 'userId' | 'limit'>) =>
      (await history.list({ userId: 'carol', limit: 100, ...query })).analyses;
    const btc = await all({ symbol: 'BTCUSDT' });
    expect(btc.length).toBeGreaterThan(0);
    expect(btc.every((analysis) => analysis.symbol === 'BTCUSDT')).toBe(true);
    const hourly = await all({ symbol: 'BTCUSDT', interval: '1h' });
    expect(hourly.map((a) => a.analysis_id)).toEqual(btc.filter((a) => a.interval === '1h').map((a) => a.analysis_id));
    const failed = await all({ status: 'failed' });
    expect(failed.map((a) => a.analysis_id).sort()).toEqual(
      ids.filter((n) => n % 5 === 0).map((n) => record(n).analysis_id),
    );
    const from = new Date(base + 55 * 60_000);
    const to = new Date(base + 60 * 60_000);
    const ranged = await all({ createdFrom: from, createdTo: to });
    expect(ranged.map((a) => a.analysis_id).sort()).toEqual(
      ids.filter((n) => Math.floor(n / 2) >= 55 && Math.floor(n / 2) < 60).map((n) => record(n).analysis_id),
    );
  });

  test("lists only the user's own analyses and refuses a forged cursor", async () => {
    expect((await history.list({ userId: 'dave', limit: 10 })).analyses.map((a) => a.analysis_id)).toEqual([
      record(999).analysis_id,
    ]);
    await expect(history.list({ userId: 'carol', limit: 5, cursor: 'not-a-cursor' })).rejects.toThrow(/^cursor: /);
  });
});

describe('connectMongo fails fast, naming MONGODB_URL', () => {
  test('on a malformed URL', async () => {
    await expect(connectMongo('http://localhost:27017')).rejects.toThrow(
      /MONGODB_URL is not a valid MongoDB connection string/,
    );
    await expect(connectMongo('mongodb://')).rejects.toThrow(/MONGODB_URL/);
  });

  test('when nothing listens, within its timeout, without printing the password', async () => {
    const port = await freePort();
    const started = Date.now();
    const failure = await connectMongo(`mongodb://user:secret@127.0.0.1:${port}/x`, { timeoutMs: 300 }).catch(
      (error: Error) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(
      /^MONGODB_URL: no MongoDB answered at mongodb:\/\/user:\*\*\*@127\.0\.0\.1/,
    );
    expect((failure as Error).message).not.toContain('secret');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
