/**
 * What the container image does, without Docker: `npm pack` this checkout, install the tarball
 * with production dependencies only into an empty folder, and start `candela api` and
 * `candela worker` from there against a test Redis. Their probes answer where the manifests
 * point, and a job queued through the API completes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type CandelaProcess, eventually, startCandela, stopCandela } from '../../support/candelaProcess.js';
import { freePort, startRedis, type TestRedis } from '../../support/redisServer.js';

import { jest } from '@jest/globals';

jest.setTimeout(240_000);

const AUTH_SECRET = 'packed-tarball-test-secret-0123456789';
let folder: string;
let installedBin: string;
let redis: TestRedis;
let processes: CandelaProcess[] = [];

beforeAll(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'candela-packed-'));
  const packed = execFileSync('npm', ['pack', '--pack-destination', folder, '--silent'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .at(-1)!;
  const app = path.join(folder, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'candela-image', private: true }));
  // --omit=peer: tRPC declares typescript as a peer, which a server never runs.
  // --prefer-offline: the registry is reachable, but the cache from this checkout's npm ci is faster.
  execFileSync(
    'npm',
    ['install', '--omit=dev', '--omit=peer', '--no-audit', '--no-fund', '--prefer-offline', path.join(folder, packed)],
    { cwd: app, stdio: 'pipe' },
  );
  // The package's own bin, as the image's ENTRYPOINT runs it.
  installedBin = path.join(app, 'node_modules/candela/bin/candela.mjs');
});

beforeEach(async () => {
  redis = await startRedis();
});

afterEach(async () => {
  await stopCandela(processes, 'SIGKILL');
  processes = [];
  await redis.stop();
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

test('the tarball holds the build, not the sources or the tests', () => {
  const installed = path.join(folder, 'app/node_modules/candela');
  const entries = readdirSync(installed);
  expect(entries).toEqual(expect.arrayContaining(['dist', 'package.json']));
  for (const source of ['test', 'bench', 'storage', 'router']) expect(entries).not.toContain(source);
  expect(readdirSync(path.join(installed, 'dist/storage/lua')).some((file) => file.endsWith('.lua'))).toBe(true);
  // Production dependencies only: no test runner, linter or benchmark queue came along.
  const modules = readdirSync(path.join(folder, 'app/node_modules'));
  for (const devOnly of ['jest', 'eslint', 'bullmq', 'typescript']) expect(modules).not.toContain(devOnly);
});

test('candela api and candela worker from the installed package serve their probes and run a job', async () => {
  const apiPort = await freePort();
  const metricsPort = await freePort();
  const env = {
    REDIS_URL: redis.url,
    AUTH_SECRET,
    MARKET_DATA_PROVIDER: 'synthetic',
    DATA_DIR: path.join(folder, 'data'),
  };
  const api = startCandela(['api'], { ...env, PORT: String(apiPort) }, installedBin);
  const worker = startCandela(
    ['worker'],
    { ...env, METRICS_PORT: String(metricsPort), ANALYSIS_HEALTH_CHECK_INTERVAL: '1' },
    installedBin,
  );
  processes = [api, worker];
  const base = `http://127.0.0.1:${apiPort}`;
  await eventually(async () => ((await fetch(`${base}/ready`)).ok ? true : undefined), 60_000, 'API /ready');
  expect((await fetch(`${base}/health`)).status).toBe(200);
  await eventually(
    async () => ((await fetch(`http://127.0.0.1:${metricsPort}/health`)).ok ? true : undefined),
    60_000,
    'worker /health',
  );
  expect(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()).toMatch(/^# HELP /m);

  const token = execFileSync(process.execPath, [installedBin, 'token', 'alice'], {
    env: { PATH: process.env.PATH ?? '', AUTH_SECRET },
    encoding: 'utf8',
  }).trim();
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const queued = await fetch(`${base}/analyze/BTCUSDT/1h`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ timeframe: '2d' }),
  });
  expect(queued.status).toBe(202);
  const { analysis_id: analysisId } = (await queued.json()) as { analysis_id: string };
  const finished = await eventually(
    async () => {
      const status = (await (await fetch(`${base}/analysis/status/${analysisId}`, { headers })).json()) as {
        status: string;
      };
      return ['completed', 'failed', 'cancelled'].includes(status.status) ? status : undefined;
    },
    90_000,
    `analysis ${analysisId} finished`,
  );
  expect(finished.status).toBe('completed');
});
