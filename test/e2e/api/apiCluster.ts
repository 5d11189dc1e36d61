/** Real API and worker processes around a private redis-server, for the API's end-to-end suites. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signToken } from '../../../router/auth.js';
import { type CandelaProcess, startCandela, stopCandela } from '../../support/candelaProcess.js';
import { freePort, startRedis, type TestRedis } from '../../support/redisServer.js';

export const SECRET = 'test-secret-0123456789abcdef';

export interface ApiCluster {
  redis: TestRedis;
  /** Base URLs of the API nodes, e.g. http://127.0.0.1:41234 */
  apis: string[];
  env: Record<string, string>;
  startWorker(): Promise<CandelaProcess>;
  token(user: string, options?: { admin?: boolean; expiresIn?: string }): Promise<string>;
  stop(): Promise<void>;
}

export async function startApiCluster(
  options: { apiNodes?: number; workers?: number; env?: Record<string, string> } = {},
): Promise<ApiCluster> {
  const redis = await startRedis();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'candela-api-'));
  const env = {
    REDIS_URL: redis.url,
    AUTH_SECRET: SECRET,
    DATA_DIR: dataDir,
    MARKET_DATA_PROVIDER: 'synthetic',
    LOG_LEVEL: 'warn',
    ANALYSIS_HEALTH_CHECK_INTERVAL: '1',
    ...options.env,
  };
  const processes: CandelaProcess[] = [];
  const apis: string[] = [];
  try {
    for (let index = 0; index < (options.apiNodes ?? 1); index += 1) {
      const port = await freePort();
      const api = startCandela(['api'], { ...env, PORT: String(port), LOG_LEVEL: 'info' });
      processes.push(api);
      await api.waitForOutput(/api listening/);
      apis.push(`http://127.0.0.1:${port}`);
    }
  } catch (error) {
    await stopCandela(processes, 'SIGKILL');
    await redis.stop();
    throw error;
  }
  const cluster: ApiCluster = {
    redis,
    apis,
    env,
    async startWorker() {
      const worker = startCandela(['worker'], { ...env, LOG_LEVEL: 'info' });
      processes.push(worker);
      await worker.waitForOutput(/worker started/);
      return worker;
    },
    token: (user, tokenOptions) => signToken(SECRET, user, tokenOptions),
    async stop() {
      await stopCandela(processes);
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  for (let index = 0; index < (options.workers ?? 0); index += 1) await cluster.startWorker();
  return cluster;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Reads a server-sent event stream to its end (or until `until` says stop); returns the parsed `data:` objects. */
export async function readSse(
  response: Response,
  until: (event: Record<string, unknown>) => boolean = () => false,
): Promise<Record<string, unknown>[]> {
  const events: Record<string, unknown>[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let boundary = buffer.indexOf('\n\n');
    while (boundary >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const data = block.split('\n').find((line) => line.startsWith('data: '));
      if (data) {
        const event = JSON.parse(data.slice(6)) as Record<string, unknown>;
        events.push(event);
        if (until(event)) {
          await reader.cancel();
          return events;
        }
      }
      boundary = buffer.indexOf('\n\n');
    }
  }
  return events;
}
