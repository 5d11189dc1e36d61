/** A private three-master Redis Cluster on free loopback ports (redis-server in cluster mode, joined with redis-cli). */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { freePort } from '../../bin/localRedis.js';

const run = promisify(execFile);

export interface TestRedisCluster {
  /** REDIS_CLUSTER_NODES */
  nodes: string;
  client: Cluster;
  /** The port of the master that serves `key` now, and the ports of its replicas. */
  ownerOf(key: string): Promise<{ master: number; replicas: number[] }>;
  /** Stops one node's process with a signal (SIGKILL: a crashed master). */
  kill(port: number, signal: NodeJS.Signals): Promise<void>;
  /** Starts a stopped node again from its nodes.conf: it rejoins, as a replica if it lost its slots meanwhile. */
  restart(port: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  replicasPerMaster?: number;
  /** cluster-node-timeout: how long a silent master has before its replica is promoted. */
  nodeTimeoutMs?: number;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startRedisCluster(masters = 3, options: ClusterOptions = {}): Promise<TestRedisCluster> {
  const replicasPerMaster = options.replicasPerMaster ?? 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'candela-cluster-'));
  const ports = await Promise.all(Array.from({ length: masters * (1 + replicasPerMaster) }, () => freePort()));
  const spawnNode = (port: number): ChildProcess =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--cluster-node-timeout',
        String(options.nodeTimeoutMs ?? 15_000),
      ],
      { stdio: 'ignore' },
    );
  const servers: ChildProcess[] = ports.map(spawnNode);
  const addresses = ports.map((port) => `127.0.0.1:${port}`);
  await until(
    async () =>
      (await Promise.all(ports.map((port) => run('redis-cli', ['-p', String(port), 'ping'])))).every(
        ({ stdout }) => stdout.trim() === 'PONG',
      ),
    'the cluster nodes to start',
  );
  await run('redis-cli', [
    '--cluster',
    'create',
    ...addresses,
    '--cluster-replicas',
    String(replicasPerMaster),
    '--cluster-yes',
  ]);
  await until(
    async () =>
      (await Promise.all(ports.map((port) => run('redis-cli', ['-p', String(port), 'cluster', 'info'])))).every(
        ({ stdout }) => stdout.includes('cluster_state:ok'),
      ),
    'the cluster to cover every slot',
  );
  if (replicasPerMaster > 0)
    await until(
      async () =>
        (await Promise.all(ports.map((port) => run('redis-cli', ['-p', String(port), 'info', 'replication'])))).every(
          ({ stdout }) => stdout.includes('role:master') || stdout.includes('master_link_status:up'),
        ),
      'every replica to sync with its master',
    );
  const client = new Cluster(ports.map((port) => ({ host: '127.0.0.1', port })));
  const alive = (port: number) => {
    const server = servers[ports.indexOf(port)];
    return server !== undefined && server.exitCode === null && server.signalCode === null;
  };
  return {
    nodes: addresses.join(','),
    client,
    async ownerOf(key) {
      const from = String(ports.find(alive));
      const slot = Number((await run('redis-cli', ['-p', from, 'cluster', 'keyslot', key])).stdout.trim());
      // CLUSTER SHARDS: each shard's slot ranges (start, end pairs) and its nodes' roles and health.
      const shards = JSON.parse((await run('redis-cli', ['-p', from, '--json', 'cluster', 'shards'])).stdout) as {
        slots: number[];
        nodes: { port: number; role: string; health: string }[];
      }[];
      const owns = (ranges: number[]) =>
        ranges.some((start, index) => index % 2 === 0 && slot >= start && slot <= ranges[index + 1]!);
      const shard = shards.find((candidate) => owns(candidate.slots));
      const master = shard?.nodes.find((node) => node.role === 'master' && node.health === 'online');
      if (!shard || !master) throw new Error(`no online master serves slot ${slot} of ${key}`);
      const replicas = shard.nodes.filter((node) => node.role === 'replica' && node.health === 'online');
      return { master: master.port, replicas: replicas.map((node) => node.port) };
    },
    async kill(port, signal) {
      const server = servers[ports.indexOf(port)];
      if (!server || !alive(port)) return;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill(signal);
      await exited;
    },
    async restart(port) {
      if (alive(port)) return;
      servers[ports.indexOf(port)] = spawnNode(port);
      await until(
        async () =>
          (await run('redis-cli', ['-p', String(port), 'cluster', 'info'])).stdout.includes('cluster_state:ok'),
        `node ${port} to rejoin the cluster`,
      );
    },
    async stop() {
      client.disconnect();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise((resolve) =>
              server.exitCode !== null || server.signalCode !== null
                ? resolve(null)
                : (server.once('exit', resolve), server.kill('SIGKILL')),
            ),
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
