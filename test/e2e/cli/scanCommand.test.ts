/**
 * `candela scan` against a real API and worker (market data from a local Binance-format stub):
 * the final table or --json record, the exit codes of `candela analyze` (0 every child
 * completed, 1 any failed, 2 bad input, 130 cancelled), and a real SIGINT cancelling the scan.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { jest } from '@jest/globals';
import { signToken } from '../../../router/auth.js';
import { startBinanceStub, type BinanceStub } from '../../support/binanceStub.js';
import {
  CANDELA_BIN,
  type CandelaProcess,
  eventually,
  startCandela,
  stopCandela,
} from '../../support/candelaProcess.js';
import { freePort, startRedis, type TestRedis } from '../../support/redisServer.js';

jest.setTimeout(120_000);

const SECRET = 'scan-command-test-secret';
let redis: TestRedis;
let stub: BinanceStub;
let servers: CandelaProcess[] = [];
let env: Record<string, string>;

beforeAll(async () => {
  [redis, stub] = await Promise.all([startRedis(), startBinanceStub()]);
  stub.setMode('invalid-symbol', 'NOSUCHCOIN');
  stub.setMode('hang', 'SLOWCOIN');
  env = {
    REDIS_URL: redis.url,
    AUTH_SECRET: SECRET,
    PORT: String(await freePort()),
    MARKET_DATA_PROVIDER: 'binance',
    BINANCE_BASE_URL: stub.baseUrl,
    DATA_DIR: `/tmp/candela-scan-cli-${process.pid}`,
    ANALYSIS_WORKER_CONCURRENCY: '2',
    ANALYSIS_SHUTDOWN_GRACE: '1',
  };
  servers = [startCandela(['api'], env), startCandela(['worker'], env)];
  await Promise.all([servers[0]!.waitForOutput(/api listening/), servers[1]!.waitForOutput(/worker started/)]);
  env.CANDELA_TOKEN = await signToken(SECRET, 'sid');
});
afterAll(async () => {
  await stopCandela(servers);
  await Promise.all([redis.stop(), stub.close()]);
});

interface Cli {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | string>;
}

function cli(args: string[]): Cli {
  const child = spawn(process.execPath, [CANDELA_BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

interface PrintedScan {
  scan_id: string;
  status: string;
  total: number;
  completed: number;
  children: { symbol: string; interval: string; status: string }[];
}

test('a scan whose children all complete prints the table, or one JSON line with --json, and exits 0', async () => {
  const json = cli(['scan', 'BTCUSDT', 'ETHUSDT', '--intervals', '1h,4h', '--timeframe', '2d', '--json']);
  expect(await json.exited).toBe(0);
  const printed = JSON.parse(json.stdout()) as PrintedScan;
  expect(printed).toMatchObject({ status: 'completed', total: 4, completed: 4 });
  expect(printed.children.map((child) => `${child.symbol} ${child.interval}`).sort()).toEqual([
    'BTCUSDT 1h',
    'BTCUSDT 4h',
    'ETHUSDT 1h',
    'ETHUSDT 4h',
  ]);

  const table = cli(['scan', 'BTCUSDT', '--intervals', '1d', '--timeframe', '30d']);
  expect(await table.exited).toBe(0);
  expect(table.stdout()).toMatch(/^scan_\w+ {2}completed {2}1\/1 done/);
  expect(table.stdout()).toMatch(/SYMBOL +INTERVAL +STATUS +TREND/);
  expect(table.stdout()).toMatch(/BTCUSDT +1d +completed +(up|down|sideways)/);
});

test('a scan with a failed child exits 1', async () => {
  const run = cli(['scan', 'BTCUSDT', 'NOSUCHCOIN', '--intervals', '1h', '--timeframe', '2d', '--json']);
  expect(await run.exited).toBe(1);
  const printed = JSON.parse(run.stdout()) as PrintedScan;
  expect(printed.status).toBe('completed');
  expect(printed.children.find((child) => child.symbol === 'NOSUCHCOIN')?.status).toBe('failed');
});

test('bad input exits 2 naming what is wrong, with nothing on stdout', async () => {
  const badInterval = cli(['scan', 'BTCUSDT', '--intervals', '1h,7m']);
  expect(await badInterval.exited).toBe(2);
  expect(badInterval.stderr()).toMatch(/--intervals: 7m/);
  const noIntervals = cli(['scan', 'BTCUSDT']);
  expect(await noIntervals.exited).toBe(2);
  expect(noIntervals.stderr()).toMatch(/--intervals: required/);
  const badSymbol = cli(['scan', 'btc-usdt', '--intervals', '1h', '--json']);
  expect(await badSymbol.exited).toBe(2);
  expect(badSymbol.stderr()).toMatch(/symbol/);
  expect(badSymbol.stdout()).toBe('');
});

test('Ctrl-C cancels the scan: exit 130, the scan and its children cancelled', async () => {
  const run = cli(['scan', 'SLOWCOIN', '--intervals', '1h,4h', '--timeframe', '2d', '--json']);
  await eventually(async () => (/scan scan_\w+ queued/.test(run.stderr()) ? true : undefined), 30_000, 'queued');
  // Running: the worker is waiting on market data that never comes.
  await eventually(async () => (stub.requests('SLOWCOIN').length > 0 ? true : undefined), 60_000, 'the fetch');
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(130);
  const printed = JSON.parse(run.stdout()) as PrintedScan;
  expect(printed.status).toBe('cancelled');
  expect(printed.children.every((child) => child.status === 'cancelled')).toBe(true);
});
