/** A redis-server replicating a test master on loopback, for the replica-acknowledgement tests. */
import { Redis } from 'ioredis';
import { startLocalRedis } from '../../bin/localRedis.js';
import { eventually } from './candelaProcess.js';

export interface TestReplica {
  client: Redis;
  /** Stops the replica for good (SIGKILL): the master loses its only replica. */
  kill(): Promise<void>;
}

export async function startReplica(masterPort: number): Promise<TestReplica> {
  const server = await startLocalRedis({ replicaOf: masterPort });
  const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
  // Reconnection attempts after kill() are expected; nothing waits on them.
  client.on('error', () => undefined);
  await eventually(
    async () => (/master_link_status:up/.test(await client.info('replication')) ? true : undefined),
    20_000,
    'the replica linked to its master',
  );
  return {
    client,
    async kill() {
      client.disconnect();
      await server.stop();
    },
  };
}
