/**
 * One real `candela api` (and optionally workers) on a private redis-server, with what the
 * security suites watch: the API's pid and resident memory, and the Redis write counters.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CandelaProcess, startCandela, stopCandela } from './candelaProcess.js';
import { freePort, startRedis, type TestRedis } from './redisServer.js';

export const TEST_SECRET = 'security-suite-secret-0123456789abcdef';
export const JOB_STREAM = 'market-analysis-jobs';

export interface ApiUnderTest {
  url: string;
  redis: TestRedis;
  api: CandelaProcess;
  env: Record<string, string>;
  startWorker(): Promise<CandelaProcess>;
  /** Resident set size of the API process in bytes (from /proc). */
  apiRss(): number;
  /** Key count and job stream length: a refused request must leave both as they were. */
  writeCounters(): Promise<{ keys: number; streamLength: number }>;
  stop(): Promise<void>;
}

export function rssOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

export async function startApiUnderTest(env: Record<string, string> = {}): Promise<ApiUnderTest> {
  const redis = await startRedis();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'candela-security-'));
  const port = await freePort();
  const common = {
    REDIS_URL: redis.url,
    AUTH_SECRET: TEST_SECRET,
    DATA_DIR: dataDir,
    MARKET_DATA_PROVIDER: 'synthetic',
    LOG_LEVEL: 'warn',
    ANALYSIS_HEALTH_CHECK_INTERVAL: '1',
    ...env,
  };
  const processes: CandelaProcess[] = [];
  const api = startCandela(['api'], { ...common, PORT: String(port), LOG_LEVEL: 'info' });
  processes.push(api);
  try {
    await api.waitForOutput(/api listening/);
  } catch (error) {
    await stopCandela(processes, 'SIGKILL');
    await redis.stop();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    redis,
    api,
    env: common,
    async startWorker() {
      const worker = startCandela(['worker'], { ...common, LOG_LEVEL: 'info' });
      processes.push(worker);
      await worker.waitForOutput(/worker started/);
      return worker;
    },
    apiRss: () => rssOf(api.child.pid!),
    async writeCounters() {
      const [keys, streamLength] = await Promise.all([redis.client.dbsize(), redis.client.xlen(JOB_STREAM)]);
      return { keys, streamLength };
    },
    async stop() {
      await stopCandela(processes);
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
