/**
 * ANALYSIS_QUEUE_PARTITIONS=3 on a private three-master Redis Cluster, one partition per
 * master: an API node and two workers run the whole job path (queue, process, progress,
 * retry, dead letter and replay, cancel, reclaim after a worker is killed, stats) for users
 * of every partition, and each job's keys sit on its partition's master.
 */
import { jest } from '@jest/globals';
import { signToken } from '../../../router/auth.js';
import { type CandelaClient, createClient } from '../../../router/client.js';
import { partitionOfId } from '../../../storage/analysisId.js';
import { createKeys } from '../../../storage/keys.js';
import { type BinanceStub, startBinanceStub } from '../../support/binanceStub.js';
import { type CandelaProcess, eventually, startCandela, stopCandela } from '../../support/candelaProcess.js';
import { spreadPartitions } from '../../support/clusterSlots.js';
import { startRedisCluster, type TestRedisCluster } from '../../support/redisCluster.js';
import { freePort } from '../../support/redisServer.js';

jest.setTimeout(180_000);

const keys = createKeys(undefined, undefined, 3);
const SECRET = 'partition-test-secret-0123456789';
let cluster: TestRedisCluster;
let binance: BinanceStub;
let env: Record<string, string>;
let masters: number[];
const processes: CandelaProcess[] = [];
let admin: CandelaClient;
/** One user, and its client, per partition. */
const users: { id: string; client: CandelaClient }[] = [];

const userIn = (partition: number) => {
  for (let index = 0; ; index += 1) if (keys.userPartition(`trader-${index}`) === partition) return `trader-${index}`;
};

async function startWorker(): Promise<CandelaProcess> {
  const worker = startCandela(['worker'], env);
  processes.push(worker);
  await worker.waitForOutput(/worker started/, 90_000);
  return worker;
}

async function statusOf(partition: number, id: string) {
  return users[partition]!.client.api.analysis.status.query({ analysis_id: id });
}

function waitForStatus(partition: number, id: string, status: string, timeoutMs = 60_000) {
  return eventually(
    async () => {
      const job = await statusOf(partition, id);
      return job.status === status ? job : undefined;
    },
    timeoutMs,
    `${id} to be ${status}`,
  );
}

async function terminalEvents(id: string): Promise<string[]> {
  const events = await cluster.client.xrange(keys.progress(id), '-', '+');
  return events
    .map(([, fields]) => JSON.parse(fields[1]!) as { status: string; stage: string })
    .filter((event) => event.stage === 'finished')
    .map((event) => event.status);
}

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  masters = await spreadPartitions(cluster, keys);
  binance = await startBinanceStub();
  env = {
    REDIS_CLUSTER_NODES: cluster.nodes,
    AUTH_SECRET: SECRET,
    PORT: String(await freePort()),
    MARKET_DATA_PROVIDER: 'binance',
    BINANCE_BASE_URL: binance.baseUrl,
    DATA_DIR: `/tmp/candela-partitions-${process.pid}`,
    ANALYSIS_QUEUE_PARTITIONS: '3',
    ANALYSIS_WORKER_CONCURRENCY: '2',
    ANALYSIS_HEALTH_CHECK_INTERVAL: '1',
    ANALYSIS_RETRY_BASE_MS: '100',
    ANALYSIS_MAX_RETRIES: '1',
    ANALYSIS_CLAIM_TIMEOUT: '2',
    ANALYSIS_CIRCUIT_FAILURE_THRESHOLD: '1000',
  };
  const api = startCandela(['api'], env);
  processes.push(api);
  await Promise.all([api.waitForOutput(/api listening/, 90_000), startWorker(), startWorker()]);
  const url = `http://127.0.0.1:${env.PORT}`;
  for (let partition = 0; partition < 3; partition += 1) {
    const id = userIn(partition);
    users.push({ id, client: createClient({ url, token: await signToken(SECRET, id) }) });
  }
  admin = createClient({ url, token: await signToken(SECRET, 'ops', { admin: true }) });
});

afterAll(async () => {
  for (const user of users) user.client.close();
  admin?.close();
  await stopCandela(processes, 'SIGKILL');
  await binance?.close();
  await cluster?.stop();
});

test('the three partitions are served by three different masters', () => {
  expect(new Set(masters).size).toBe(3);
});

test("every user's jobs complete exactly once in the user's partition, with their keys on its master", async () => {
  const queued = await Promise.all(
    users.flatMap((user, partition) =>
      Array.from({ length: 4 }, async (_, index) => {
        const job = await user.client.api.analysis.queue.mutate({
          symbol: `SYM${partition}X${index}`,
          interval: '1h',
          timeframe: '2d',
        });
        return { partition, id: job.analysis_id };
      }),
    ),
  );
  // Live progress of one job of partition 2, over the API's single progress channel.
  const stages: string[] = [];
  const followed = queued.find((job) => job.partition === 2)!;
  const progressDone = new Promise<void>((resolve, reject) => {
    users[2]!.client.api.analysis.progress.subscribe(
      { analysis_id: followed.id },
      { onData: ({ data }) => stages.push(data.stage), onComplete: resolve, onError: reject },
    );
  });
  for (const { partition, id } of queued) {
    expect(partitionOfId(id)).toBe(partition);
    await waitForStatus(partition, id, 'completed');
    expect((await cluster.ownerOf(keys.job(id))).master).toBe(masters[partition]);
    expect(await cluster.client.exists(keys.job(id))).toBe(1);
    expect(await terminalEvents(id)).toEqual(['completed']);
  }
  await progressDone;
  expect(stages.at(-1)).toBe('finished');
  for (const [partition, user] of users.entries()) {
    const listed = await user.client.api.analysis.list.query({ limit: 10 });
    expect(listed.analyses.map((job) => job.analysis_id).sort()).toEqual(
      queued
        .filter((job) => job.partition === partition)
        .map((job) => job.id)
        .sort(),
    );
  }
  const stats = await admin.api.queue.stats.query();
  expect(stats).toMatchObject({ pending_jobs: 0, waiting_jobs: 0 });
  expect(stats.partitions?.map((part) => part.stream_name)).toEqual([
    'market-analysis-jobs',
    'market-analysis-jobs-p1',
    'market-analysis-jobs-p2',
  ]);
  expect(stats.partitions?.every((part) => part.active_consumers === 4)).toBe(true);
  expect(stats.total_jobs_in_stream).toBe(
    stats.partitions!.reduce((total, part) => total + part.total_jobs_in_stream, 0),
  );
});

test('a retried job and a dead letter stay in their partition; replay brings the letter back', async () => {
  binance.failNext('RETRYUSDT', 1, 'error-500');
  binance.setMode('error-500', 'DEADUSDT');
  const retried = await users[2]!.client.api.analysis.queue.mutate({
    symbol: 'RETRYUSDT',
    interval: '1h',
    timeframe: '2d',
  });
  const dead = await users[1]!.client.api.analysis.queue.mutate({
    symbol: 'DEADUSDT',
    interval: '1h',
    timeframe: '2d',
  });
  expect(await waitForStatus(2, retried.analysis_id, 'completed')).toMatchObject({ attempts: 1 });
  await waitForStatus(1, dead.analysis_id, 'failed');
  expect(await cluster.client.xlen(keys.forPartition(1).deadLetters())).toBe(1);
  expect(await cluster.client.xlen(keys.forPartition(0).deadLetters())).toBe(0);
  expect((await admin.api.queue.deadLetters.query()).map((letter) => letter.analysis_id)).toEqual([dead.analysis_id]);
  expect((await admin.api.queue.stats.query()).partitions?.[1]).toMatchObject({ dead_letters: 1 });

  binance.setMode('ok', 'DEADUSDT');
  await admin.api.queue.replay.mutate({ analysis_id: dead.analysis_id });
  await waitForStatus(1, dead.analysis_id, 'completed');
  expect(await cluster.client.xlen(keys.forPartition(1).deadLetters())).toBe(0);
});

test('a processing job is cancelled through its partition, and one of a killed worker is reclaimed', async () => {
  binance.setMode('hang', 'HANGUSDT');
  const running = await users[0]!.client.api.analysis.queue.mutate({
    symbol: 'HANGUSDT',
    interval: '1h',
    timeframe: '2d',
  });
  await waitForStatus(0, running.analysis_id, 'processing');
  await users[0]!.client.api.analysis.cancel.mutate({ analysis_id: running.analysis_id });
  await waitForStatus(0, running.analysis_id, 'cancelled');
  expect(await terminalEvents(running.analysis_id)).toEqual(['cancelled']);

  binance.setMode('hang', 'SLOWUSDT');
  const orphan = await users[2]!.client.api.analysis.queue.mutate({
    symbol: 'SLOWUSDT',
    interval: '1h',
    timeframe: '2d',
  });
  await waitForStatus(2, orphan.analysis_id, 'processing');
  const stream = keys.forPartition(2).stream;
  const pending = (await cluster.client.xpending(stream, keys.group, '-', '+', 10)) as [string, string][];
  const owner = pending[0]?.[1] ?? '';
  const workers = processes.slice(1);
  const victim = workers.find((worker) => owner.includes(`-${worker.child.pid}-`))!;
  expect(victim).toBeDefined();
  victim.kill('SIGKILL');
  await victim.exited;
  binance.setMode('ok', 'SLOWUSDT');
  await waitForStatus(2, orphan.analysis_id, 'completed');
  expect(await terminalEvents(orphan.analysis_id)).toEqual(['completed']);
  // Acknowledged by the survivor: nothing of the partition is pending any more.
  expect(await cluster.client.xpending(stream, keys.group, '-', '+', 10)).toEqual([]);
});
