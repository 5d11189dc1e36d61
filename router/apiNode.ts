/** An API process: its Redis connection, the queue, the HTTP + WebSocket server, and graceful shutdown. */
import type { Config } from '../config/env.js';
import type { Logger } from '../config/logger.js';
import { createJobQueue, ensureConsumerGroup } from '../storage/jobQueue.js';
import { createKeys } from '../storage/keys.js';
import { closeRedis, connectRedis } from '../storage/redisConnection.js';
import { startApiServer } from './httpServer.js';

export interface ApiNode {
  url: string;
  shutdown(graceMs: number): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Refuses configurations that would be unsafe to serve. */
export function checkApiConfig(config: Config): void {
  if (config.AUTH_MODE === 'none' && !LOOPBACK.has(config.HOST)) {
    throw new Error(`AUTH_MODE=none trusts any user_id, so it only listens on loopback; HOST is ${config.HOST}. Set AUTH_SECRET and AUTH_MODE=jwt instead.`);
  }
  if (config.AUTH_MODE === 'jwt' && (config.AUTH_SECRET?.length ?? 0) < 16) {
    throw new Error('AUTH_SECRET: required with AUTH_MODE=jwt, at least 16 characters (or AUTH_MODE=none for local development on loopback)');
  }
}

export async function startApiNode(config: Config, log: Logger): Promise<ApiNode> {
  checkApiConfig(config);
  const keys = createKeys();
  const redis = connectRedis(config, 'candela:api');
  await ensureConsumerGroup(redis, keys);
  const server = await startApiServer({ config, log, redis, keys, queue: createJobQueue(redis, keys) });
  log.info({ url: server.url, authMode: config.AUTH_MODE }, 'api listening');
  return {
    url: server.url,
    async shutdown(graceMs) {
      await server.close(graceMs);
      await closeRedis(redis);
      log.info('api stopped');
    },
  };
}
