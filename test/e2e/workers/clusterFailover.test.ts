/**
 * A private Redis Cluster of three masters, each with a replica, under a running API node and
 * two workers that queue and process jobs the whole time, on three queue partitions (one per
 * master), for users of every partition. Partition 0's master is first failed over by hand
 * (CLUSTER FAILOVER), then killed with SIGKILL so that its replica is promoted.
 * With ANALYSIS_ENQUEUE_MIN_REPLICAS=1, every job the API acknowledged completes, exactly once,
 * and the processes follow the new topology by themselves.
 */
import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { signToken } from '../../../router/auth.js';
import { type CandelaClient, createClient } from '../../../router/client.js';
import { createKeys } from '../../../storage/keys.js';
import { type CandelaProcess, eventually, startCandela, stopCandela } from '../../support/candelaProcess.js';
import { startRedisCluster, type TestRedisCluster } from '../../support/redisCluster.js';
import { spreadPartitions } from '../../support/clusterSlots.js';
import { freePort } from '../../support/redisServer.js';

jest.setTimeout(300_000);

const run = promisify(execFile);
const keys = createKeys(undefined, undefined, 3);
const SECRET = 'failover-test-secret-0123456789';
const TERMINAL = ['completed', 'failed', 'cancelled'];
let cluster: TestRedisCluster;
let processes: CandelaProcess[] = [];
/** A user, and its client, in each partition. */
let clients: CandelaClient[] = [];

const userIn = (partition: number) => {
  for (let index = 0; ; index += 1) if (keys.userPartition(`fay-${index}`) === partition) return `fay-${index}`;
};

beforeAll(async () => {
  cluster = await startRedisCluster(3, { replicasPerMaster: 1, nodeTimeoutMs: 2000 });
  const masters = await spreadPartitions(cluster, keys);
  expect(new Set(masters).size).toBe(3);
  const env = {
    REDIS_CLUSTER_NODES: cluster.nodes,
    AUTH_SECRET: SECRET,
    PORT: String(await freePort()),
    MARKET_DATA_PROVIDER: 'synthetic',
    DATA_DIR: `/tmp/candela-failover-${process.pid}`,
    ANALYSIS_WORKER_CONCURRENCY: '2',
    ANALYSIS_HEALTH_CHECK_INTERVAL: '1',
    ANALYSIS_CLAIM_TIMEOUT: '5',
    ANALYSIS_ENQUEUE_MIN_REPLICAS: '1',
    ANALYSIS_ENQUEUE_REPLICA_TIMEOUT: '2',
    ANALYSIS_QUEUE_PARTITIONS: '3',
  };
  processes = [startCandela(['api'], env), startCandela(['worker'], env), startCandela(['worker'], env)];
  await Promise.all([
    processes[0]!.waitForOutput(/api listening/, 90_000),
    processes[1]!.waitForOutput(/worker started/, 90_000),
    processes[2]!.waitForOutput(/worker started/, 90_000),
  ]);
  clients = await Promise.all(
    keys.all().map(async (partition) =>
      createClient({
        url: `http://127.0.0.1:${env.PORT}`,
        token: await signToken(SECRET, userIn(partition.partition)),
      }),
    ),
  );
});

afterAll(async () => {
  clients.forEach((client) => client.close());
  await stopCandela(processes, 'SIGKILL');
  await cluster.stop();
});

/** Queues until told to stop; a request that fails is retried with its idempotency key, so each id is acknowledged once. */
function produce(producers: number) {
  const acknowledged = new Map<string, CandelaClient>();
  let refused = 0;
  let stopping = false;
  let next = 0;
  const loops = Array.from({ length: producers }, async (_, producer) => {
    const client = clients[producer % clients.length]!;
    while (!stopping) {
      const key = `job-${next++}`;
      for (;;) {
        try {
          const queued = await client.api.analysis.queue.mutate({
            symbol: 'BTCUSDT',
            interval: '1h',
            timeframe: '2d',
            idempotency_key: key,
          });
          acknowledged.set(queued.analysis_id, client);
          break;
        } catch {
          refused += 1;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    }
  });
  return {
    acknowledged,
    refused: () => refused,
    async stop() {
      stopping = true;
      await Promise.all(loops);
    },
  };
}

const queuedAfter = async (producer: ReturnType<typeof produce>, more: number) => {
  const target = producer.acknowledged.size + more;
  await eventually(async () => (producer.acknowledged.size >= target ? true : undefined), 90_000, `${more} more jobs`);
};

test('a manual failover and a killed master lose no acknowledged job and complete each exactly once', async () => {
  const producer = produce(6);
  await queuedAfter(producer, 40);

  const before = await cluster.ownerOf(keys.stream);
  expect(before.replicas).toHaveLength(1);
  await run('redis-cli', ['-p', String(before.replicas[0]), 'cluster', 'failover']);
  await eventually(
    async () => ((await cluster.ownerOf(keys.stream)).master === before.replicas[0] ? true : undefined),
    60_000,
    'the replica to take over by CLUSTER FAILOVER',
  );
  await queuedAfter(producer, 40);

  const promoted = await cluster.ownerOf(keys.stream);
  await eventually(
    async () => ((await cluster.ownerOf(keys.stream)).replicas.length === 1 ? true : undefined),
    60_000,
    'the old master to follow the new one',
  );
  await cluster.kill(promoted.master, 'SIGKILL');
  await eventually(
    async () => ((await cluster.ownerOf(keys.stream)).master === before.master ? true : undefined),
    60_000,
    'the replica to be promoted after its master was killed',
  );
  // Alone in its shard, the new master cannot confirm writes to a replica: queueing is refused
  // (and retried by the producer) until the killed node is back as its replica.
  await cluster.restart(promoted.master);
  await queuedAfter(producer, 40);
  await producer.stop();

  const ids = [...producer.acknowledged.keys()];
  const perPartition = keys
    .all()
    .map((partition) => ids.filter((id) => keys.forJob(id).partition === partition.partition).length);
  expect(perPartition.every((count) => count > 0)).toBe(true);
  const statuses = async () =>
    Promise.all(
      [...producer.acknowledged].map(
        async ([id, client]) => (await client.api.analysis.status.query({ analysis_id: id })).status,
      ),
    );
  await eventually(
    async () => ((await statuses()).every((status) => TERMINAL.includes(status)) ? true : undefined),
    180_000,
    `all ${ids.length} acknowledged jobs finished`,
  );
  expect(new Set(await statuses())).toEqual(new Set(['completed']));

  const terminalEvents = await Promise.all(
    ids.map(async (id) => {
      const events = await cluster.client.xrange(keys.progress(id), '-', '+');
      return events.filter(([, fields]) => TERMINAL.includes((JSON.parse(fields[1]!) as { status: string }).status))
        .length;
    }),
  );
  expect(terminalEvents.filter((count) => count !== 1)).toEqual([]);
  console.log(
    JSON.stringify({
      scenario: 'cluster-failover',
      acknowledged: ids.length,
      per_partition: perPartition,
      refused_then_retried: producer.refused(),
    }),
  );
});
