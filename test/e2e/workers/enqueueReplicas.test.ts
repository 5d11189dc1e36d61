/**
 * ANALYSIS_ENQUEUE_MIN_REPLICAS: a real API process answers a queue request only once a real
 * replica holds the job, and 503 (naming the setting) when no replica confirms it in time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CANDELA_BIN, type CandelaProcess, startCandela, stopCandela } from '../../support/candelaProcess.js';
import { freePort, startRedis, type TestRedis } from '../../support/redisServer.js';
import { startReplica, type TestReplica } from '../../support/redisReplica.js';
import { createKeys } from '../../../storage/keys.js';

import { jest } from '@jest/globals';

jest.setTimeout(120_000);

const AUTH_SECRET = 'replica-test-secret-0123456789';
const keys = createKeys();
let redis: TestRedis;
let replica: TestReplica;
let api: CandelaProcess;
let dataDir: string;
let base: string;
let headers: Record<string, string>;

beforeAll(async () => {
  redis = await startRedis();
  replica = await startReplica(redis.port);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'candela-replicas-'));
  const port = await freePort();
  api = startCandela(['api'], {
    REDIS_URL: redis.url,
    AUTH_SECRET,
    PORT: String(port),
    DATA_DIR: dataDir,
    ANALYSIS_ENQUEUE_MIN_REPLICAS: '1',
    ANALYSIS_ENQUEUE_REPLICA_TIMEOUT: '0.5',
  });
  await api.waitForOutput(/api listening/, 30_000);
  base = `http://127.0.0.1:${port}`;
  const token = execFileSync(process.execPath, [CANDELA_BIN, 'token', 'alice'], {
    env: { PATH: process.env.PATH ?? '', AUTH_SECRET },
    encoding: 'utf8',
  }).trim();
  headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
});

afterAll(async () => {
  await stopCandela([api]);
  await replica.kill();
  await redis.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const queue = () =>
  fetch(`${base}/analyze/BTCUSDT/1h`, { method: 'POST', headers, body: JSON.stringify({ timeframe: '2d' }) });

test('with its replica up, an acknowledged job is already on the replica', async () => {
  const response = await queue();
  expect(response.status).toBe(202);
  const { analysis_id: analysisId } = (await response.json()) as { analysis_id: string };
  // Read from the replica at once: WAIT returned only after it had the record.
  expect(await replica.client.hget(keys.job(analysisId), 'status')).toBe('queued');
});

test('with no replica confirming in time, the API answers 503 and names the setting', async () => {
  await replica.kill();
  const started = Date.now();
  const response = await queue();
  expect(response.status).toBe(503);
  expect(JSON.stringify(await response.json())).toMatch(/ANALYSIS_ENQUEUE_MIN_REPLICAS/);
  expect(Date.now() - started).toBeGreaterThanOrEqual(450);
});
