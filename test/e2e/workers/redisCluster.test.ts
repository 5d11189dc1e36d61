/**
 * On a real three-master Redis Cluster: every script's keys share the stream's hash tag, so
 * jobs flow, progress streams and stats tell the truth although the worker keys sit on other masters.
 */
import { jest } from '@jest/globals';
import { signToken } from '../../../router/auth.js';
import { type CandelaClient, createClient } from '../../../router/client.js';
import { createKeys } from '../../../storage/keys.js';
import { type CandelaProcess, eventually, startCandela, stopCandela } from '../../support/candelaProcess.js';
import { startRedisCluster, type TestRedisCluster } from '../../support/redisCluster.js';
import { freePort } from '../../support/redisServer.js';

jest.setTimeout(120_000);

const keys = createKeys();
const SECRET = 'cluster-test-secret-0123456789';
let cluster: TestRedisCluster;
let processes: CandelaProcess[] = [];
let client: CandelaClient;

beforeAll(async () => {
  cluster = await startRedisCluster();
  const env = {
    REDIS_CLUSTER_NODES: cluster.nodes,
    AUTH_SECRET: SECRET,
    PORT: String(await freePort()),
    MARKET_DATA_PROVIDER: 'synthetic',
    DATA_DIR: `/tmp/candela-cluster-${process.pid}`,
    ANALYSIS_WORKER_CONCURRENCY: '2',
    ANALYSIS_HEALTH_CHECK_INTERVAL: '1',
  };
  processes = [startCandela(['api'], env), startCandela(['worker'], env), startCandela(['worker'], env)];
  await Promise.all([
    processes[0]!.waitForOutput(/api listening/),
    processes[1]!.waitForOutput(/worker started/),
    processes[2]!.waitForOutput(/worker started/),
  ]);
  client = createClient({ url: `http://127.0.0.1:${env.PORT}`, token: await signToken(SECRET, 'erin') });
});
afterAll(async () => {
  client.close();
  await stopCandela(processes);
  await cluster.stop();
});

test('jobs queued through the API complete exactly once, and queue.stats counts both workers', async () => {
  const queued = await Promise.all(
    Array.from({ length: 30 }, (_, index) =>
      client.api.analysis.queue.mutate({ symbol: `SYM${index}`, interval: '1h', timeframe: '2d' }),
    ),
  );
  const ids = queued.map((job) => job.analysis_id);
  await eventually(
    async () => {
      const statuses = await Promise.all(ids.map((id) => client.api.analysis.status.query({ analysis_id: id })));
      return statuses.every((job) => job.status === 'completed') ? true : undefined;
    },
    60_000,
    'all 30 jobs completed on the cluster',
  );
  for (const id of ids) {
    const events = await cluster.client.xrange(keys.progress(id), '-', '+');
    expect(
      events.filter(([, fields]) => (JSON.parse(fields[1]!) as { status: string }).status === 'completed'),
    ).toHaveLength(1);
  }
  const stats = await client.api.queue.stats.query();
  expect(stats).toMatchObject({ pending_jobs: 0, waiting_jobs: 0, active_consumers: 4 });
  expect(stats.total_jobs_in_stream).toBe(await cluster.client.xlen(keys.stream)); // workers trim acknowledged entries
});

test('a subscriber follows a job to its end through cluster pub/sub', async () => {
  const { analysis_id: id } = await client.api.analysis.queue.mutate({
    symbol: 'BTCUSDT',
    interval: '15m',
    timeframe: '7d',
  });
  const stages: string[] = [];
  await new Promise<void>((resolve, reject) => {
    client.api.analysis.progress.subscribe(
      { analysis_id: id },
      { onData: ({ data }) => stages.push(data.stage), onComplete: resolve, onError: reject },
    );
  });
  expect(stages[0]).toBe('queued');
  expect(stages.at(-1)).toBe('finished');
  expect(stages).toEqual(expect.arrayContaining(['started', 'candles', 'patterns', 'chart', 'summary']));
});
