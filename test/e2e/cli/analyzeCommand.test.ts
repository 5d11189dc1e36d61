/** `candela analyze` against a real API and worker: queues, follows progress to 100 %, prints the completed result. */
import { jest } from '@jest/globals';
import { signToken } from '../../../router/auth.js';
import { type CandelaProcess, startCandela, stopCandela } from '../../support/candelaProcess.js';
import { freePort, startRedis, type TestRedis } from '../../support/redisServer.js';

jest.setTimeout(60_000);

const SECRET = 'analyze-command-test-secret';
let redis: TestRedis;
let servers: CandelaProcess[] = [];
let env: Record<string, string>;

beforeAll(async () => {
  redis = await startRedis();
  env = {
    REDIS_URL: redis.url,
    AUTH_SECRET: SECRET,
    PORT: String(await freePort()),
    MARKET_DATA_PROVIDER: 'synthetic',
    DATA_DIR: `/tmp/candela-analyze-${process.pid}`,
  };
  servers = [startCandela(['api'], env), startCandela(['worker'], env)];
  await Promise.all([servers[0]!.waitForOutput(/api listening/), servers[1]!.waitForOutput(/worker started/)]);
});
afterAll(async () => {
  await stopCandela(servers);
  await redis.stop();
});

test('prints the completed analysis and exits 0', async () => {
  const cli = startCandela(['analyze', 'BTCUSDT', '1h', '--timeframe', '2d'], {
    ...env,
    CANDELA_TOKEN: await signToken(SECRET, 'carol'),
  });
  expect(await cli.exited).toBe(0);
  const printed = JSON.parse(cli.output().slice(cli.output().indexOf('{'))) as {
    status: string;
    analysis_id: string;
    summary_source: string;
  };
  expect(printed).toMatchObject({ status: 'completed', summary_source: 'rule-based' });
  expect(printed.analysis_id).toMatch(/^analysis_/);
  expect(cli.output()).toMatch(/100%/);
});

test('without a token it fails with the API’s reason', async () => {
  const cli = startCandela(['analyze', 'BTCUSDT', '1h'], env);
  expect(await cli.exited).not.toBe(0);
  expect(cli.output()).toMatch(/bearer token/i);
});

test('a usage mistake exits 2 with the usage line', async () => {
  const cli = startCandela(['analyze', 'BTCUSDT'], env);
  expect(await cli.exited).toBe(2);
  expect(cli.output()).toMatch(/usage: candela analyze SYMBOL INTERVAL/);
});
