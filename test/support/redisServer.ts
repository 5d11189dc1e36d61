/** A private redis-server per test suite (bin/localRedis.ts) and a client on it. Tests never use a Redis that happens to be running. */
import { Redis } from 'ioredis';
import { startLocalRedis } from '../../bin/localRedis.js';
import { ensureConsumerGroup } from '../../storage/jobQueue.js';
import type { QueueKeys } from '../../storage/keys.js';

export { freePort } from '../../bin/localRedis.js';

export interface TestRedis {
  url: string;
  port: number;
  client: Redis;
  restart(signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(options: { appendOnly?: boolean } = {}): Promise<TestRedis> {
  const server = await startLocalRedis(options);
  const client = new Redis(server.url);
  return {
    url: server.url,
    port: server.port,
    client,
    restart: (signal) => server.restart(signal),
    async stop() {
      await client.quit().catch(() => client.disconnect());
      await server.stop();
    },
  };
}

/**
 * A private redis-server with the queue's consumer group for one test file: started before its
 * tests, stopped after them. The object reads through to the running server.
 */
export function useQueueRedis(keys: QueueKeys): TestRedis {
  let server: TestRedis | undefined;
  const running = () => {
    if (!server) throw new Error('the test redis-server is used before beforeAll started it');
    return server;
  };
  beforeAll(async () => {
    server = await startRedis();
    await ensureConsumerGroup(server.client, keys);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get url() {
      return running().url;
    },
    get port() {
      return running().port;
    },
    get client() {
      return running().client;
    },
    restart: (signal) => running().restart(signal),
    stop: () => running().stop(),
  };
}
