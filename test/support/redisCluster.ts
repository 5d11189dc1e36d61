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
  stop(): Promise<void>;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startRedisCluster(masters = 3): Promise<TestRedisCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'candela-cluster-'));
  const ports = await Promise.all(Array.from({ length: masters }, () => freePort()));
  const servers: ChildProcess[] = ports.map((port) =>
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
      ],
      { stdio: 'ignore' },
    ),
  );
  const addresses = ports.map((port) => `127.0.0.1:${port}`);
  await until(
    async () =>
      (await Promise.all(ports.map((port) => run('redis-cli', ['-p', String(port), 'ping'])))).every(
        ({ stdout }) => stdout.trim() === 'PONG',
      ),
    'the cluster nodes to start',
  );
  await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
  await until(
    async () =>
      (await Promise.all(ports.map((port) => run('redis-cli', ['-p', String(port), 'cluster', 'info'])))).every(
        ({ stdout }) => stdout.includes('cluster_state:ok'),
      ),
    'the cluster to cover every slot',
  );
  const client = new Cluster(ports.map((port) => ({ host: '127.0.0.1', port })));
  return {
    nodes: addresses.join(','),
    client,
    async stop() {
      client.disconnect();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise((resolve) =>
              server.exitCode !== null ? resolve(null) : (server.once('exit', resolve), server.kill('SIGKILL')),
            ),
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
