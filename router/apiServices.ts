/** What the API's procedures use: the queue and its Redis connection. Built once per API process. */
import type { Config } from '../config/env.js';
import type { Logger } from '../config/logger.js';
import type { JobQueue } from '../storage/jobQueue.js';
import type { QueueKeys } from '../storage/keys.js';
import type { RedisClient } from '../storage/redisConnection.js';

export interface ApiServices {
  config: Config;
  log: Logger;
  redis: RedisClient;
  keys: QueueKeys;
  queue: JobQueue;
}
