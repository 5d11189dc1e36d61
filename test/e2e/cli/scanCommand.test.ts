/**
 * `candela scan` against a real API and worker (market data from a local Binance-format stub):
 * the final table or --json record, the exit codes of `candela analyze` (0 every child
 * completed, 1 any failed, 2 bad input, 130 cancelled), and a real SIGINT cancelling the scan.
 */
import { jest } from '@jest/globals';
import { eventually } from '../../support/candelaProcess.js';
import { runCli, startCliStack, type CliStack } from '../../support/cliStack.js';

jest.setTimeout(120_000);

let stack: CliStack;
beforeAll(async () => {
  stack = await startCliStack('scan-cli', 'sid');
});
afterAll(() => stack.stop());

const cli = (args: string[], extraEnv: Record<string, string> = {}) => runCli(args, { ...stack.env, ...extraEnv });

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
  await eventually(async () => (stack.stub.requests('SLOWCOIN').length > 0 ? true : undefined), 60_000, 'the fetch');
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(130);
  const printed = JSON.parse(run.stdout()) as PrintedScan;
  expect(printed.status).toBe('cancelled');
  expect(printed.children.every((child) => child.status === 'cancelled')).toBe(true);
});
