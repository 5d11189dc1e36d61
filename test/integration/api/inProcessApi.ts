/**
 * The API's services in this process over a private redis-server, and a tRPC caller per
 * identity, so router tests call procedures directly (createCaller) with real storage.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig, type Config } from '../../../config/env.js';
import type { ApiServices } from '../../../router/apiServices.js';
import { signToken } from '../../../router/auth.js';
import { type ApiServer, startApiServer } from '../../../router/httpServer.js';
import { createChartSigner } from '../../../router/charts/chartUrls.js';
import type { Context } from '../../../router/context.js';
import { createResponseBudget } from '../../../router/responseBudget.js';
import { createAnalysisPool } from '../../../router/immediate/analysisPool.js';
import { startAlertHub } from '../../../router/progress/alertHub.js';
import { startProgressHub } from '../../../router/progress/progressHub.js';
import { createSubscriptionLimits } from '../../../router/progress/subscriptionLimits.js';
import { createRateLimits } from '../../../router/rateLimits.js';
import { appRouter } from '../../../router/routers/_app.js';
import { createCallerFactory } from '../../../router/trpc.js';
import { chartDirectory, immediateChartDirectory } from '../../../storage/charts/chartDirectories.js';
import { createFileChartStore } from '../../../storage/charts/fileChartStore.js';
import { readThroughChartStore } from '../../../storage/charts/readThroughChartStore.js';
import { createJobQueue, ensureConsumerGroup } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { createAlertStore } from '../../../storage/alerts/alertStore.js';
import { createProgressLog } from '../../../storage/progressLog.js';
import { createScanStore, scanStoreOptions } from '../../../storage/scans/scanStore.js';
import { createScheduleStore, scheduleStoreOptions } from '../../../storage/schedules/scheduleStore.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

export const SECRET = 'in-process-secret-0123456789';

const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

export interface InProcessApi {
  redis: TestRedis;
  services: ApiServices;
  /** Every log line the services wrote at warn level or above, parsed. */
  logLines: Record<string, unknown>[];
  /** A caller whose context carries this bearer token (undefined: none). */
  caller(token: string | undefined, context?: Partial<Context>): Caller;
  token(user: string, options?: { admin?: boolean; expiresIn?: string }): Promise<string>;
  /** Starts the real HTTP + WebSocket server on these services (once); its base URL. */
  serve(): Promise<string>;
  stop(): Promise<void>;
}

export async function startInProcessApi(env: Record<string, string> = {}): Promise<InProcessApi> {
  const redis = await startRedis();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'candela-router-'));
  const config: Config = loadConfig({
    REDIS_URL: redis.url,
    AUTH_SECRET: SECRET,
    DATA_DIR: dataDir,
    MARKET_DATA_PROVIDER: 'synthetic',
    LOG_LEVEL: 'silent',
    PORT: '0',
    IMMEDIATE_ANALYSIS_THREADS: '1',
    ...env,
  });
  const keys = createKeys();
  await ensureConsumerGroup(redis.client, keys);
  const subscriber = redis.client.duplicate();
  const logLines: Record<string, unknown>[] = [];
  const log = pino(
    { level: 'warn' },
    { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const progressHub = await startProgressHub(subscriber, keys.progressChannel(), log);
  const alertHub = await startAlertHub(subscriber, keys.alertChannel(), log);
  const pool = createAnalysisPool({ size: 1, config, timeoutMs: 30_000, maxWaiting: 4 });
  const queue = createJobQueue(redis.client, keys, {
    maxActiveJobsPerUser: config.ANALYSIS_MAX_ACTIVE_JOBS_PER_USER,
    admissionBacklog: config.ANALYSIS_ADMISSION_BACKLOG,
  });
  const scans = createScanStore(redis.client, keys, queue, scanStoreOptions(config));
  const services = {
    config,
    log,
    redis: redis.client,
    keys,
    queue,
    scans,
    schedules: createScheduleStore(redis.client, keys, scans, scheduleStoreOptions(config)),
    alerts: createAlertStore(redis.client, keys),
    alertHub,
    progressLog: createProgressLog(redis.client, keys),
    progressHub,
    charts: readThroughChartStore(
      createFileChartStore(chartDirectory(dataDir)),
      createFileChartStore(immediateChartDirectory(dataDir)),
    ),
    chartSigner: createChartSigner(SECRET, 60_000),
    pool,
    rateLimits: createRateLimits(config),
    subscriptions: createSubscriptionLimits({
      perConnection: config.API_MAX_SUBSCRIPTIONS_PER_CONNECTION,
      perUser: config.API_MAX_SUBSCRIPTIONS_PER_USER,
    }),
  } satisfies ApiServices;
  let server: ApiServer | undefined;
  return {
    redis,
    services,
    logLines,
    caller: (token, context = {}) =>
      createCaller({
        services,
        token,
        outboundBacklog: () => 0,
        responseBudget: createResponseBudget(config.API_MAX_ROWS_PER_REQUEST),
        connection: {},
        ...context,
      }),
    token: (user, options) => signToken(SECRET, user, options),
    async serve() {
      server ??= await startApiServer(services);
      return server.url;
    },
    async stop() {
      await server?.close(100);
      await pool.close();
      await progressHub.close();
      await alertHub.close();
      subscriber.disconnect();
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
