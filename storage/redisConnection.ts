/** ioredis connections: one shared command connection per process, plus dedicated ones for blocking reads and pub/sub. */
import { Cluster, Redis } from 'ioredis';
import type { Config } from '../config/env.js';
import { coalesceWritesPerTurn } from './turnCoalescedWrites.js';

export type RedisClient = Redis | Cluster;

export type RedisSettings = Pick<Config, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>;

function clusterNodes(list: string): { host: string; port: number }[] {
  return list.split(',').map((node) => {
    const url = new URL(node.includes('://') ? node : `redis://${node}`);
    return { host: url.hostname, port: Number(url.port || 6379) };
  });
}

/**
 * ioredis emits `error` on every failed reconnect attempt, and prints "Unhandled error event"
 * when nobody listens. Report the outage once, and the recovery once.
 */
function reportOutages(client: RedisClient, connectionName: string): void {
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    process.stderr.write(
      `${JSON.stringify({ level: 40, time: Date.now(), connection: connectionName, msg: `redis unreachable, reconnecting: ${error.message}` })}\n`,
    );
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    process.stderr.write(
      `${JSON.stringify({ level: 30, time: Date.now(), connection: connectionName, msg: 'redis reachable again' })}\n`,
    );
  });
}

export interface ConnectionOptions {
  /**
   * ioredis auto-pipelining gathers a turn's commands and sends them on the next
   * setImmediate. Good for an API node's many small calls. Workers leave it off: when their
   * PNGs were drawn inline, it made a progress event wait behind every chart render queued
   * before its send (p99 250 ms for `summary` events in bench/progress), and on a worker's
   * connection it once hung bench:progress; they use `writesPerTurn` instead.
   */
  autoPipelining?: boolean;
  /**
   * A worker's own connection sends each turn's commands in one socket write
   * (storage/turnCoalescedWrites.ts): its jobs' stage events, claims and finishes of one turn
   * share a write and a read on the server, and wait at most for the end of the turn (its
   * renders are SVG only now; bench:progress p99 was unchanged).
   */
  writesPerTurn?: boolean;
}

export function connectRedis(
  settings: RedisSettings,
  connectionName: string,
  connection: ConnectionOptions = {},
): RedisClient {
  const client = openConnection(settings, connectionName, connection.autoPipelining ?? true);
  if (connection.writesPerTurn && client instanceof Redis) coalesceWritesPerTurn(client);
  reportOutages(client, connectionName);
  return client;
}

function openConnection(settings: RedisSettings, connectionName: string, autoPipelining: boolean): RedisClient {
  const options = {
    connectionName,
    // Commands wait for a reconnect instead of failing after a few tries: a Redis restart
    // must not fail jobs that are only waiting for it.
    maxRetriesPerRequest: null,
    enableAutoPipelining: autoPipelining,
  };
  if (settings.REDIS_CLUSTER_NODES) {
    return new Cluster(clusterNodes(settings.REDIS_CLUSTER_NODES), {
      redisOptions: options,
      enableAutoPipelining: autoPipelining,
    });
  }
  return new Redis(settings.REDIS_URL, options);
}

/** Closes politely, and gives up waiting after a second (a dead server never answers QUIT). */
export async function closeRedis(client: RedisClient): Promise<void> {
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 1000).unref());
  await Promise.race([
    client.quit().then(
      () => undefined,
      () => undefined,
    ),
    timeout,
  ]);
  client.disconnect();
}
