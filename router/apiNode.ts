/** An API process: its Redis connections (commands + one pub/sub), the queue, the thread pool, the server, and graceful shutdown. */
import type { Config } from '../config/env.js';
import type { Logger } from '../config/logger.js';
import { chartDirectory, immediateChartDirectory } from '../storage/charts/chartDirectories.js';
import { createFallbackChartStore } from '../storage/charts/fallbackChartStore.js';
import { createFileChartStore } from '../storage/charts/fileChartStore.js';
import { readThroughChartStore } from '../storage/charts/readThroughChartStore.js';
import { openMongoStores } from '../storage/mongo/mongoStores.js';
import { createJobQueue, ensureConsumerGroups } from '../storage/jobQueue.js';
import { checkPartitionCount } from '../storage/partitionCount.js';
import { createKeys } from '../storage/keys.js';
import { createAlertStore } from '../storage/alerts/alertStore.js';
import { createProgressLog } from '../storage/progressLog.js';
import { createScanStore, scanStoreOptions } from '../storage/scans/scanStore.js';
import { createScheduleStore, scheduleStoreOptions } from '../storage/schedules/scheduleStore.js';
import { closeRedis, connectRedis } from '../storage/redisConnection.js';
import { createChartSigner } from './charts/chartUrls.js';
import { lazyPngCharts } from './charts/lazyPngCharts.js';
import { createPngThreads } from './charts/pngThreads.js';
import { startApiServer } from './httpServer.js';
import { createAnalysisPool } from './immediate/analysisPool.js';
import { startImmediateChartReaper } from './immediate/immediateChartReaper.js';
import { startAlertHub } from './progress/alertHub.js';
import { startProgressHub } from './progress/progressHub.js';
import { createSubscriptionLimits } from './progress/subscriptionLimits.js';
import { createRateLimits } from './rateLimits.js';

export interface ApiNode {
  url: string;
  shutdown(graceMs: number): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
/** Signs chart links when AUTH_MODE=none has no AUTH_SECRET: loopback-only development, where nothing is secret. */
const LOCAL_CHART_SECRET = 'candela-local-development-only';

/** Refuses configurations that would be unsafe to serve. */
export function checkApiConfig(config: Config): void {
  if (config.AUTH_MODE === 'none' && !LOOPBACK.has(config.HOST)) {
    throw new Error(
      `AUTH_MODE=none trusts any user_id, so it only listens on loopback; HOST is ${config.HOST}. Set AUTH_SECRET and AUTH_MODE=jwt instead.`,
    );
  }
  if (config.AUTH_MODE === 'jwt' && (config.AUTH_SECRET?.length ?? 0) < 16) {
    throw new Error(
      'AUTH_SECRET: required with AUTH_MODE=jwt, at least 16 characters (or AUTH_MODE=none for local development on loopback)',
    );
  }
}

export async function startApiNode(config: Config, log: Logger): Promise<ApiNode> {
  checkApiConfig(config);
  const mongo = config.MONGODB_URL
    ? await openMongoStores(config.MONGODB_URL, {
        historyTtlSeconds: config.ANALYSIS_HISTORY_TTL,
        appName: 'candela-api',
      })
    : undefined;
  const fileCharts = createFileChartStore(chartDirectory(config.DATA_DIR));
  const pngThreads = createPngThreads();
  const keys = createKeys(undefined, undefined, config.ANALYSIS_QUEUE_PARTITIONS);
  const redis = connectRedis(config, 'candela:api');
  const subscriber = connectRedis(config, 'candela:api:progress');
  await checkPartitionCount(redis, keys);
  await ensureConsumerGroups(redis, keys);
  const progressHub = await startProgressHub(subscriber, keys.progressChannel(), log);
  const alertHub = await startAlertHub(subscriber, keys.alertChannel(), log);
  const pool = createAnalysisPool({
    size: config.IMMEDIATE_ANALYSIS_THREADS,
    config,
    timeoutMs: config.ANALYSIS_JOB_TIMEOUT * 1000,
    maxWaiting: 100,
  });
  const chartReaper = startImmediateChartReaper({
    directory: immediateChartDirectory(config.DATA_DIR),
    linkTtlMs: config.CHART_URL_TTL * 1000,
    log,
  });
  const queue = createJobQueue(redis, keys, {
    maxActiveJobsPerUser: config.ANALYSIS_MAX_ACTIVE_JOBS_PER_USER,
    resultTtlSeconds: config.ANALYSIS_RESULT_TTL,
    archiving: mongo !== undefined,
    minReplicas: config.ANALYSIS_ENQUEUE_MIN_REPLICAS,
    replicaTimeoutMs: config.ANALYSIS_ENQUEUE_REPLICA_TIMEOUT * 1000,
    admissionBacklog: config.ANALYSIS_ADMISSION_BACKLOG,
  });
  const scans = createScanStore(redis, keys, queue, scanStoreOptions(config));
  const server = await startApiServer({
    config,
    log,
    redis,
    keys,
    queue,
    scans,
    schedules: createScheduleStore(redis, keys, scans, scheduleStoreOptions(config)),
    alerts: createAlertStore(redis, keys),
    alertHub,
    progressLog: createProgressLog(redis, keys),
    progressHub,
    // GridFS first when configured, then job charts on disk, then immediate charts (which expire).
    // A job's PNG is drawn on its first request and saved with the job charts.
    charts: lazyPngCharts(
      readThroughChartStore(
        mongo ? createFallbackChartStore(mongo.charts, fileCharts) : fileCharts,
        createFileChartStore(immediateChartDirectory(config.DATA_DIR)),
      ),
      pngThreads.draw,
    ),
    ...(mongo ? { mongo } : {}),
    chartSigner: createChartSigner(config.AUTH_SECRET ?? LOCAL_CHART_SECRET, config.CHART_URL_TTL * 1000),
    pool,
    rateLimits: createRateLimits(config),
    subscriptions: createSubscriptionLimits({
      perConnection: config.API_MAX_SUBSCRIPTIONS_PER_CONNECTION,
      perUser: config.API_MAX_SUBSCRIPTIONS_PER_USER,
    }),
  });
  log.info({ url: server.url, authMode: config.AUTH_MODE }, 'api listening');
  return {
    url: server.url,
    async shutdown(graceMs) {
      await server.close(graceMs);
      await Promise.all([pool.close(), pngThreads.close(), progressHub.close(), alertHub.close(), chartReaper.stop()]);
      await Promise.all([closeRedis(redis), closeRedis(subscriber)]);
      await mongo?.connection.close().catch(() => undefined);
      log.info('api stopped');
    },
  };
}
