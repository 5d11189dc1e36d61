/**
 * The README's by-hand sequence from a fresh clone of this repository, with the newcomer's
 * mistake first: `npx candela …` before `npm run build`. npx links the checkout into its cache
 * and wires the bin only if the file exists then; the committed launcher (bin/candela.mjs)
 * exists from the start and builds dist/ on first use, so every later `npx candela` works.
 * node_modules is the worktree's (a symlink), npx gets a cache of its own.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { eventually } from '../../support/candelaProcess.js';
import { freePort, startRedis, type TestRedis } from '../../support/redisServer.js';

jest.setTimeout(600_000);

let redis: TestRedis;
let dir: string;
let checkout: string;
const background: ChildProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(path.join(os.tmpdir(), 'candela-checkout-'));
  checkout = path.join(dir, 'candela');
  const clone = spawnSync('git', ['clone', '--quiet', path.resolve('.'), checkout], { encoding: 'utf8' });
  if (clone.status !== 0) throw new Error(`git clone failed: ${clone.stderr}`);
  symlinkSync(path.resolve('node_modules'), path.join(checkout, 'node_modules'));
});
afterAll(async () => {
  // npx runs the command in a child of its own: stop the whole process group.
  for (const child of background) if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

function environment(port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: dir,
    npm_config_cache: path.join(dir, 'npm-cache'),
    npm_config_update_notifier: 'false',
    REDIS_URL: redis.url,
    AUTH_SECRET: 'fresh-checkout-secret-0123456789',
    PORT: String(port),
    MARKET_DATA_PROVIDER: 'synthetic',
    DATA_DIR: path.join(dir, 'data'),
  };
}

function npx(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync('npx', ['candela', ...args], { cwd: checkout, env, encoding: 'utf8', timeout: 540_000 });
}

test('npx candela before the build, then the README sequence, all from a fresh clone', async () => {
  const env = environment(await freePort());
  const first = npx(['token', 'alice'], env);
  expect(first.stderr).not.toMatch(/not found/);
  expect(first.stderr).toMatch(/building dist/);
  expect(first.status).toBe(0);
  expect(first.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

  // Again, now that npx has the checkout in its cache: the same bin, no rebuild.
  const again = npx(['token', 'alice'], env);
  expect(again.status).toBe(0);
  expect(again.stderr).not.toMatch(/building/);
  const token = again.stdout.trim();

  let output = '';
  for (const command of ['worker', 'api']) {
    const child = spawn('npx', ['candela', command], {
      cwd: checkout,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    background.push(child);
  }
  await eventually(
    async () => (/worker started/.test(output) && /api listening/.test(output) ? true : undefined),
    120_000,
    'worker and api to start',
  );
  const analyze = npx(['analyze', 'BTCUSDT', '1h', '--timeframe', '7d', '--json'], { ...env, CANDELA_TOKEN: token });
  expect(analyze.status).toBe(0);
  expect(JSON.parse(analyze.stdout)).toMatchObject({ status: 'completed', symbol: 'BTCUSDT', user_id: 'alice' });
});
