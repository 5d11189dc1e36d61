/**
 * Dead archivers leave the archive group: a consumer idle past the bound with nothing pending
 * is removed (in one script, so nothing delivered meanwhile is dropped), one with pending
 * entries stays until they are taken over, and the caller and recently active ones stay.
 */
import { jest } from '@jest/globals';
import { archiveBatch } from '../../../actors/archiveBatch.js';
import { createArchiveOutbox, ensureArchiveGroup } from '../../../storage/archiveOutbox.js';
import { ARCHIVE_GROUP, createKeys } from '../../../storage/keys.js';
import { eventually } from '../../support/candelaProcess.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

jest.setTimeout(60_000);

const keys = createKeys();
const IDLE_MS = 2000;
let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
  await ensureArchiveGroup(redis.client, keys);
});
afterAll(async () => {
  await redis.stop();
});

const consumerNames = async () =>
  ((await redis.client.xinfo('CONSUMERS', keys.archive(), ARCHIVE_GROUP)) as string[][]).map((fields) => fields[1]);
const idleOf = async (name: string) => {
  const fields = ((await redis.client.xinfo('CONSUMERS', keys.archive(), ARCHIVE_GROUP)) as string[][]).find(
    (entry) => entry[1] === name,
  );
  return Number(fields?.[fields.indexOf('idle') + 1] ?? -1);
};

test('idle consumers with nothing pending go; one with pending entries stays until taken over', async () => {
  const outbox = createArchiveOutbox(redis.client, keys, { resultTtlSeconds: 0 });
  await redis.client.xadd(keys.archive(), '*', 'analysis_id', 'analysis_gone_1');
  await redis.client.xadd(keys.archive(), '*', 'analysis_id', 'analysis_gone_2');
  // dead-empty read one entry and acknowledged it; dead-pending died holding one.
  const [first] = await outbox.read('dead-empty', 1);
  await outbox.acknowledge([first!]);
  expect(await outbox.read('dead-pending', 1)).toHaveLength(1);
  await outbox.read('me', 1);
  await eventually(async () => ((await idleOf('dead-pending')) > IDLE_MS ? true : undefined), 10_000, 'idle');
  await outbox.read('recent', 1);

  expect(await outbox.removeDeadConsumers('me', IDLE_MS)).toEqual(['dead-empty']);
  expect((await consumerNames()).sort()).toEqual(['dead-pending', 'me', 'recent']);

  // The next archiver batch that takes over idle entries archives dead-pending's (the record is gone) and removes it.
  const result = await archiveBatch({
    outbox,
    history: { archiveMany: () => Promise.reject(new Error('no record needs archiving')) },
    consumer: 'me',
    batchSize: 10,
    takeOverIdleMs: IDLE_MS,
  });
  expect(result.acknowledged).toBe(1);
  expect((await consumerNames()).sort()).toEqual(['me', 'recent']);
  expect(await redis.client.xlen(keys.archive())).toBe(0);
});
