/**
 * Places the queue partitions of a private cluster one per master. With the even split that
 * `redis-cli --cluster create` makes, `{market-analysis-jobs}` (slot 312) and
 * `{market-analysis-jobs-p1}` (slot 3101) both fall on the first master; an empty slot moves
 * with CLUSTER SETSLOT … NODE on its old and new owner (no keys to migrate yet).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { QueueKeys } from '../../storage/keys.js';
import type { TestRedisCluster } from './redisCluster.js';

const run = promisify(execFile);

async function cli(port: number, ...args: string[]): Promise<string> {
  return (await run('redis-cli', ['-p', String(port), ...args])).stdout.trim();
}

async function mastersOf(cluster: TestRedisCluster): Promise<number[]> {
  return [...new Set(cluster.nodes.split(',').map((address) => Number(address.split(':')[1])))].filter(Boolean);
}

/** Moves each partition's (empty) slot to a master no earlier partition uses; returns each partition's master port. */
export async function spreadPartitions(cluster: TestRedisCluster, keys: QueueKeys): Promise<number[]> {
  const ports = await mastersOf(cluster);
  const masters: number[] = [];
  const roles = await Promise.all(ports.map(async (port) => ({ port, role: await cli(port, 'role') })));
  const masterPorts = roles.filter(({ role }) => role.startsWith('master')).map(({ port }) => port);
  for (const partition of keys.all()) {
    const owner = (await cluster.ownerOf(partition.stream)).master;
    const free = masterPorts.find((port) => !masters.includes(port));
    if (masters.includes(owner) && free !== undefined) {
      const slot = await cli(owner, 'cluster', 'keyslot', partition.stream);
      const target = await cli(free, 'cluster', 'myid');
      const source = await cli(owner, 'cluster', 'myid');
      await cli(free, 'cluster', 'setslot', slot, 'importing', source);
      await cli(owner, 'cluster', 'setslot', slot, 'migrating', target);
      await cli(owner, 'cluster', 'setslot', slot, 'node', target);
      await cli(free, 'cluster', 'setslot', slot, 'node', target);
      // Every node learns the new owner by gossip; wait until the one asked first agrees.
      const deadline = Date.now() + 20_000;
      while ((await cluster.ownerOf(partition.stream)).master !== free) {
        if (Date.now() > deadline) throw new Error(`slot ${slot} did not move to ${free}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      masters.push(free);
    } else masters.push(owner);
  }
  return masters;
}
