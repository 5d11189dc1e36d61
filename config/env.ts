/**
 * Process configuration from the environment, validated once at start with zod.
 * Names and defaults are what operators set (README's configuration table, deploy/): renaming
 * one, or changing a default, changes every deployment.
 */
import { z } from 'zod';

const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalText = z.string().trim().min(1).optional();

const envSchema = z.object({
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  REDIS_CLUSTER_NODES: optionalText,
  /** MongoDB history archive + GridFS charts; unset: Redis and DATA_DIR only. Reachability is checked at start. */
  MONGODB_URL: optionalText.refine(
    (value) => value === undefined || /^mongodb(\+srv)?:\/\/[^/?#]+/.test(value),
    'must be a MongoDB connection string, mongodb://host[:port][/database] or mongodb+srv://host[/database]',
  ),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  AUTH_SECRET: optionalText,
  AUTH_MODE: z.enum(['jwt', 'none']).default('jwt'),
  DATA_DIR: z.string().min(1).default('./data'),
  MARKET_DATA_PROVIDER: z.enum(['binance', 'file', 'synthetic']).default('synthetic'),
  MARKET_DATA_DIR: z.string().min(1).default('./market-data'),
  BINANCE_BASE_URL: z.string().url().default('https://api.binance.com'),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  ANALYSIS_WORKER_BATCH_SIZE: positiveInt(5),
  ANALYSIS_WORKER_CONCURRENCY: positiveInt(2),
  ANALYSIS_HEALTH_CHECK_INTERVAL: seconds(30),
  ANALYSIS_METRICS_PUBLISH_INTERVAL: seconds(60),
  BACKGROUND_ANALYSIS_THRESHOLD: positiveInt(1000),
  ANALYSIS_MAX_RETRIES: z.coerce.number().int().min(0).default(3),
  ANALYSIS_CIRCUIT_FAILURE_THRESHOLD: positiveInt(5),
  ANALYSIS_CIRCUIT_RESET_TIMEOUT: seconds(60),
  ANALYSIS_RETRY_BASE_MS: positiveInt(1000),
  /** Runs of one job whose worker died (never spoke again after a takeover) before it is a poison message and is dead-lettered. */
  ANALYSIS_MAX_DELIVERIES: positiveInt(5),
  ANALYSIS_CLAIM_TIMEOUT: seconds(60),
  ANALYSIS_JOB_TIMEOUT: seconds(120),
  ANALYSIS_SHUTDOWN_GRACE: z.coerce.number().min(0).default(30),
  ANALYSIS_MAX_ACTIVE_JOBS_PER_USER: positiveInt(100),
  /** Undelivered entries the job stream may hold before new jobs wait for fair admission between users; 0 turns admission off. */
  ANALYSIS_ADMISSION_BACKLOG: z.coerce.number().int().min(0).default(20),
  /** Replicas that must hold a new job (Redis WAIT) before enqueue answers; 503 when they do not in time. */
  ANALYSIS_ENQUEUE_MIN_REPLICAS: z.coerce.number().int().min(0).default(0),
  /** Job streams (each with its own hash tag, so its own Cluster slot); 1 keeps the original key names. */
  ANALYSIS_QUEUE_PARTITIONS: z.coerce.number().int().min(1).max(1024).default(1),
  /** Seconds enqueue waits for ANALYSIS_ENQUEUE_MIN_REPLICAS. */
  ANALYSIS_ENQUEUE_REPLICA_TIMEOUT: seconds(1),
  /** Worker threads of an API node for analysis.immediate (never on the event loop). */
  IMMEDIATE_ANALYSIS_THREADS: positiveInt(2),
  /** How long a signed chart URL (image_url) stays valid. */
  CHART_URL_TTL: seconds(3600),
  // API limits (router): batch size, response work, subscriptions, local-mode trust.
  /** Calls in one tRPC batch (HTTP or WebSocket message). */
  API_MAX_BATCH_SIZE: positiveInt(10),
  /** Job records one HTTP request (a whole batch) may return, summed over its list calls. */
  API_MAX_ROWS_PER_REQUEST: positiveInt(200),
  /** Progress subscriptions open at once on one WebSocket connection. */
  API_MAX_SUBSCRIPTIONS_PER_CONNECTION: positiveInt(20),
  /** Progress subscriptions open at once for one user, over all connections and SSE streams of this API node. */
  API_MAX_SUBSCRIPTIONS_PER_USER: positiveInt(100),
  /** Requests per second per bearer token (tRPC calls, REST routes), 0 for no limit. */
  API_RATE_LIMIT_PER_TOKEN: z.coerce.number().min(0).default(0),
  /** HTTP requests per second per client IP address, 0 for no limit. */
  API_RATE_LIMIT_PER_IP: z.coerce.number().min(0).default(0),
  /** Immediate analyses one user may have running or waiting at once on an API node (their share of the thread pool). */
  API_IMMEDIATE_MAX_PER_USER: positiveInt(25),
  /** AUTH_MODE=none only: grant the admin procedures to every local caller (off: nobody is admin). */
  AUTH_NONE_ADMIN: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // storage (queue retention)
  /** Letters kept on the dead-letter stream; the oldest are dropped first. */
  ANALYSIS_DEAD_LETTER_MAX: positiveInt(10_000),
  /** Seconds a finished job (record, history, progress log, user-index entries, chart files) stays in Redis and DATA_DIR after it ends; 0 keeps it forever. */
  ANALYSIS_RESULT_TTL: z.coerce
    .number()
    .int()
    .min(0)
    .default(7 * 24 * 3600),
  /** Seconds a finished analysis stays in MongoDB after it ended (its TTL index); 0 keeps it forever. */
  ANALYSIS_HISTORY_TTL: z.coerce
    .number()
    .int()
    .min(0)
    .default(90 * 24 * 3600),
  // scans and alerts
  /** `scan`: a whole scan holds one slot of ANALYSIS_MAX_ACTIVE_JOBS_PER_USER; `jobs`: every child holds one. */
  SCAN_CHILDREN_COUNT_AS: z.enum(['scan', 'jobs'], { error: 'must be scan or jobs' }).default('scan'),
  /** `on`: identical analyses (source, symbol, interval, timeframe, bar, version) compute once per bar and share the result. */
  ANALYSIS_SHARED_CACHE: z.enum(['on', 'off'], { error: 'must be on or off' }).default('off'),
  /** `1` lets webhook URLs resolve to private or loopback addresses (tests, closed networks); refused otherwise. */
  ALERT_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['0', '1'], { error: 'must be 0 or 1' })
    .default('0')
    .transform((value) => value === '1'),
  /** Seconds one webhook attempt may take. */
  ALERT_WEBHOOK_TIMEOUT: seconds(5),
  /** Seconds after an alert during which its webhook is retried; then it is marked undeliverable. */
  ALERT_WEBHOOK_RETRY_FOR: seconds(3600),
  /** First retry delay of a webhook, doubled per attempt (with jitter, at most 5 minutes). */
  ALERT_WEBHOOK_RETRY_BASE_MS: positiveInt(1000),
  /** How often each worker looks for due webhooks. */
  ALERT_WEBHOOK_POLL_MS: positiveInt(500),
  // schedules
  /** Seconds after a candle closes before its scheduled run is due, so the exchange's final candle is in. */
  SCHEDULE_SETTLE_DELAY: z.coerce.number().min(0, 'must be 0 or more seconds').default(10),
  /** How often each worker looks for due schedules. */
  SCHEDULE_POLL_MS: positiveInt(1000),
  /** Schedules one user may have. */
  SCHEDULE_MAX_PER_USER: positiveInt(50),
});

export type Config = z.infer<typeof envSchema>;

/** Every variable the configuration reads; deployment files are checked against it. */
export const configVariableNames: readonly string[] = Object.keys(envSchema.shape);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Empty strings count as unset, so `FOO= candela worker` falls back to the default. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (issue) => `${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(env[String(issue.path[0])])})`,
      ),
    );
  }
  return parsed.data;
}
