/** A private redis-server per test suite (bin/localRedis.ts) and a client on it. Tests never use a Redis that happens to be running. */
import { Redis } from 'ioredis';
import { startLocalRedis } from '../../bin/localRedis.js';

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
