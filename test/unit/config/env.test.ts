import { ConfigError, loadConfig } from '../../../config/env.js';

test('defaults are the documented ones (README configuration table)', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({
    PORT: 8000,
    HOST: '127.0.0.1',
    ANALYSIS_WORKER_BATCH_SIZE: 5,
    ANALYSIS_HEALTH_CHECK_INTERVAL: 30,
    ANALYSIS_METRICS_PUBLISH_INTERVAL: 60,
    BACKGROUND_ANALYSIS_THRESHOLD: 1000,
    ANALYSIS_MAX_RETRIES: 3,
    ANALYSIS_CIRCUIT_FAILURE_THRESHOLD: 5,
    ANALYSIS_CIRCUIT_RESET_TIMEOUT: 60,
    ANALYSIS_RETRY_BASE_MS: 1000,
    ANALYSIS_JOB_TIMEOUT: 120,
    ANALYSIS_SHUTDOWN_GRACE: 30,
    BINANCE_BASE_URL: 'https://api.binance.com',
  });
});

test('a bad value names the variable and what was given', () => {
  expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
  expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT.*"eighty"/);
  expect(() => loadConfig({ ANALYSIS_WORKER_CONCURRENCY: '0' })).toThrow(/ANALYSIS_WORKER_CONCURRENCY/);
  expect(() => loadConfig({ REDIS_URL: 'not a url' })).toThrow(/REDIS_URL/);
});

test('every problem is listed, not only the first', () => {
  try {
    loadConfig({ PORT: '-1', AUTH_MODE: 'maybe' });
    throw new Error('expected a ConfigError');
  } catch (error) {
    expect((error as ConfigError).problems).toHaveLength(2);
  }
});

test('an empty value counts as unset', () => {
  expect(loadConfig({ PORT: '' }).PORT).toBe(8000);
});

test('MONGODB_URL takes a MongoDB connection string; anything else is refused, naming the variable', () => {
  expect(loadConfig({ MONGODB_URL: 'mongodb://127.0.0.1:27017/candela' }).MONGODB_URL).toBe(
    'mongodb://127.0.0.1:27017/candela',
  );
  expect(() => loadConfig({ MONGODB_URL: 'http://127.0.0.1:27017' })).toThrow(
    /MONGODB_URL: must be a MongoDB connection string/,
  );
});

test('retention: finished jobs stay 7 days in Redis and 90 days in MongoDB unless configured; 0 keeps them', () => {
  const defaults = loadConfig({});
  expect(defaults.ANALYSIS_RESULT_TTL).toBe(7 * 24 * 3600);
  expect(defaults.ANALYSIS_HISTORY_TTL).toBe(90 * 24 * 3600);
  expect(loadConfig({ ANALYSIS_RESULT_TTL: '0' }).ANALYSIS_RESULT_TTL).toBe(0);
  expect(() => loadConfig({ ANALYSIS_RESULT_TTL: '-1' })).toThrow(/ANALYSIS_RESULT_TTL/);
});
