/** A redis-server replicating a test master on loopback, for the replica-acknowledgement tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../bin/localRedis.js';
import { eventually } from './candelaProcess.js';

export interface TestReplica {
  client: Redis;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startReplica(masterPort: number): Promise<TestReplica> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'candela-replica-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--replicaof',
      '127.0.0.1',
      String(masterPort),
    ],
    { stdio: 'ignore' },
  );
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
  // Refused connections while the server starts are expected; the wait below retries them.
  client.on('error', () => undefined);
  await eventually(
    async () => {
      if (client.status === 'wait' || client.status === 'end') await client.connect().catch(() => undefined);
      return /master_link_status:up/.test(await client.info('replication')) ? true : undefined;
    },
    20_000,
    'the replica linked to its master',
  );
  return {
    client,
    async kill(signal = 'SIGKILL') {
      client.disconnect();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill(signal);
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
