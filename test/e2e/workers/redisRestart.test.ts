/** A Redis restart (AOF on) while a worker runs jobs: the worker reconnects and no job is lost or finished twice. */
import { jest } from '@jest/globals';
import { createJobQueue, ensureConsumerGroup } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { type CandelaProcess, eventually, startCandela, stopCandela } from '../../support/candelaProcess.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

jest.setTimeout(120_000);

const keys = createKeys();
let redis: TestRedis;
let workers: CandelaProcess[] = [];

beforeAll(async () => {
  redis = await startRedis({ appendOnly: true });
  await ensureConsumerGroup(redis.client, keys);
});
afterAll(async () => {
  await stopCandela(workers, 'SIGKILL');
  await redis.stop();
});

async function statuses(ids: string[]): Promise<string[]> {
  return Promise.all(ids.map(async (id) => String(await redis.client.hget(keys.job(id), 'status'))));
}

test('jobs queued before and after a restart all complete exactly once', async () => {
  const queue = createJobQueue(redis.client, keys);
  const enqueue = (count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, index) =>
        queue.enqueue({ user_id: 'restart', symbol: `SYM${index}`, interval: '1m', timeframe: '2d' }),
      ),
    );
  const before = (await enqueue(30)).map((job) => job.analysisId);
  const worker = startCandela(['worker'], {
    REDIS_URL: redis.url,
    MARKET_DATA_PROVIDER: 'synthetic',
    DATA_DIR: `/tmp/candela-restart-${process.pid}`,
    ANALYSIS_CLAIM_TIMEOUT: '3',
  });
  workers = [worker];
  await eventually(
    async () => ((await statuses(before)).some((status) => status === 'completed') ? true : undefined),
    30_000,
    'a first completion',
  );

  await redis.restart('SIGTERM');
  const after = (await enqueue(10)).map((job) => job.analysisId);
  const all = [...before, ...after];
  await eventually(
    async () => ((await statuses(all)).every((status) => status === 'completed') ? true : undefined),
    90_000,
    'every job completed after the restart',
  );

  for (const id of all) {
    const events = await redis.client.xrange(keys.progress(id), '-', '+');
    expect(
      events.filter(([, fields]) => (JSON.parse(fields[1]!) as { status: string }).status === 'completed'),
    ).toHaveLength(1);
  }
  const pending = (await redis.client.xpending(keys.stream, keys.group)) as [number];
  expect(pending[0]).toBe(0);
  expect(worker.child.exitCode).toBeNull();
});
