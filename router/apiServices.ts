/** What the API's procedures and routes use. Built once per API process (apiNode.ts). */
import type { Config } from '../config/env.js';
import type { AlertStore } from '../storage/alerts/alertStore.js';
import type { Logger } from '../config/logger.js';
import type { ChartStore } from '../storage/charts/chartStore.js';
import type { JobQueue } from '../storage/jobQueue.js';
import type { MongoStores } from '../storage/mongo/mongoStores.js';
import type { QueueKeys } from '../storage/keys.js';
import type { ProgressLog } from '../storage/progressLog.js';
import type { RedisClient } from '../storage/redisConnection.js';
import type { ScanStore } from '../storage/scans/scanStore.js';
import type { ScheduleStore } from '../storage/schedules/scheduleStore.js';
import type { ChartSigner } from './charts/chartUrls.js';
import type { AnalysisPool } from './immediate/analysisPool.js';
import type { AlertHub } from './progress/alertHub.js';
import type { ProgressHub } from './progress/progressHub.js';
import type { SubscriptionLimits } from './progress/subscriptionLimits.js';
import type { RateLimits } from './rateLimits.js';

export interface ApiServices {
  config: Config;
  log: Logger;
  redis: RedisClient;
  keys: QueueKeys;
  queue: JobQueue;
  scans: ScanStore;
  schedules: ScheduleStore;
  alerts: AlertStore;
  alertHub: AlertHub;
  progressLog: ProgressLog;
  progressHub: ProgressHub;
  charts: ChartStore;
  chartSigner: ChartSigner;
  pool: AnalysisPool;
  subscriptions: SubscriptionLimits;
  rateLimits: RateLimits;
  /** With MONGODB_URL: finished analyses whose Redis copy expired are read from here. */
  mongo?: Pick<MongoStores, 'history' | 'ping'>;
}
