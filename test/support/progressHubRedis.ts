/** A test redis-server with the queue's consumer group and a progress hub on its own subscriber connection; stopped after the file's tests, hub first. */
import pino from 'pino';
import { type ProgressHub, startProgressHub } from '../../router/progress/progressHub.js';
import { ensureConsumerGroup } from '../../storage/jobQueue.js';
import type { QueueKeys } from '../../storage/keys.js';
import type { RedisClient } from '../../storage/redisConnection.js';
import { startRedis, type TestRedis } from './redisServer.js';

export interface ProgressHubRedis {
  readonly redis: TestRedis;
  readonly hub: ProgressHub;
}

export function useProgressHubRedis(keys: QueueKeys): ProgressHubRedis {
  let redis: TestRedis | undefined;
  let subscriber: RedisClient | undefined;
  let hub: ProgressHub | undefined;
  beforeAll(async () => {
    redis = await startRedis();
    await ensureConsumerGroup(redis.client, keys);
    subscriber = redis.client.duplicate();
    hub = await startProgressHub(subscriber, keys.progressChannel(), pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await hub?.close();
    subscriber?.disconnect();
    await redis?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the progress hub is used before beforeAll started it');
    return value;
  };
  return {
    get redis() {
      return started(redis);
    },
    get hub() {
      return started(hub);
    },
  };
}
