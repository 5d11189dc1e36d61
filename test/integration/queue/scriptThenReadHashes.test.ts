/**
 * A script followed by HGETALLs in one MULTI/EXEC (how a claim reads the records it claimed):
 * the hashes come back as the script left them, on a new client's first call (the source is
 * sent) and after the script cache was flushed (NOSCRIPT inside EXEC: sent again with the source).
 */
import { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../support/redisServer.js';
import { runScriptThenReadHashes } from '../../../storage/scripts/runScript.js';
import { releaseRun } from '../../../storage/scripts/scriptTable.js';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis.stop();
});

beforeEach(async () => {
  await redis.client.flushall();
  await redis.client.hset('job:1', 'status', 'processing', 'run_owner', 'me');
  await redis.client.hset('job:2', 'status', 'queued');
});

const closeMyRun = (client: Redis) =>
  runScriptThenReadHashes(client, releaseRun, { keys: { job: 'job:1' }, args: { owner: 'me' } }, [
    'job:1',
    'job:2',
    'job:absent',
  ]);

async function evalCalls(): Promise<number> {
  const stats = await redis.client.info('commandstats');
  return Number(/^cmdstat_eval:calls=(\d+)/m.exec(stats)?.[1] ?? 0);
}

test("the hashes are read after the script's writes, in order, an absent one empty", async () => {
  const client = new Redis(redis.url);
  try {
    await redis.client.config('RESETSTAT');
    const { hashes } = await closeMyRun(client);
    expect(hashes).toEqual([{ status: 'processing' }, { status: 'queued' }, {}]);
    // A new client's first call sends the source.
    expect(await evalCalls()).toBe(1);
  } finally {
    client.disconnect();
  }
});

test('after the script cache is flushed, the transaction is sent again with the source and still reads', async () => {
  const client = new Redis(redis.url);
  try {
    await closeMyRun(client);
    await redis.client.hset('job:1', 'run_owner', 'me');
    await redis.client.script('FLUSH');
    await redis.client.config('RESETSTAT');
    const { hashes } = await closeMyRun(client);
    expect(hashes[0]).toEqual({ status: 'processing' });
    expect(await evalCalls()).toBe(1);
  } finally {
    client.disconnect();
  }
});
