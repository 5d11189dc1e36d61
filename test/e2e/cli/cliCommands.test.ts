/**
 * The client commands against a real API and worker (market data from a local Binance-format
 * stub): `analyze --json` prints the whole record with exit codes for scripts (0 completed,
 * 1 failed, 2 bad input, 130 cancelled), Ctrl-C (a real SIGINT) asks to cancel or cancels at
 * once, and `status`, `list` and `watch` show what operators need.
 */
import { jest } from '@jest/globals';
import { signToken } from '../../../router/auth.js';
import { eventually } from '../../support/candelaProcess.js';
import { runCli, startCliStack, type CliStack } from '../../support/cliStack.js';

jest.setTimeout(120_000);

let stack: CliStack;
beforeAll(async () => {
  stack = await startCliStack('cli-commands', 'dora', {
    ANALYSIS_HEALTH_CHECK_INTERVAL: '1',
    ANALYSIS_METRICS_PUBLISH_INTERVAL: '1',
  });
});
afterAll(() => stack.stop());

const cli = (args: string[], extraEnv: Record<string, string> = {}) => runCli(args, { ...stack.env, ...extraEnv });

const RECORD_FIELDS = [
  'analysis_id',
  'user_id',
  'symbol',
  'interval',
  'timeframe',
  'status',
  'created_at',
  'updated_at',
  'attempts',
  'error',
  'image_url',
  'llm_summary',
  'summary_source',
  'analysis_data',
];

test('analyze --json prints the whole completed record on stdout and exits 0', async () => {
  const run = cli(['analyze', 'BTCUSDT', '1h', '--timeframe', '2d', '--json']);
  expect(await run.exited).toBe(0);
  const lines = run.stdout().trim().split('\n');
  expect(lines).toHaveLength(1);
  const record = JSON.parse(lines[0]!) as Record<string, unknown>;
  for (const field of RECORD_FIELDS) expect(record).toHaveProperty(field);
  expect(record).toMatchObject({
    status: 'completed',
    symbol: 'BTCUSDT',
    interval: '1h',
    timeframe: '2d',
    user_id: 'dora',
  });
  expect(record.analysis_data).toEqual(expect.objectContaining({}));
});

test('analyze --json exits 1 with the failed record when the analysis fails', async () => {
  const run = cli(['analyze', 'NOSUCHCOIN', '1h', '--timeframe', '2d', '--json']);
  expect(await run.exited).toBe(1);
  const record = JSON.parse(run.stdout()) as { status: string; error: string };
  expect(record.status).toBe('failed');
  expect(record.error).toMatch(/symbol/i);
});

test('bad input exits 2, naming the field, with nothing on stdout', async () => {
  const tooLong = cli(['analyze', 'BTCUSDT', '1m', '--timeframe', '1y', '--json']);
  expect(await tooLong.exited).toBe(2);
  expect(tooLong.stderr()).toMatch(/timeframe/);
  expect(tooLong.stdout()).toBe('');
  const badInterval = cli(['analyze', 'BTCUSDT', '7m', '--json']);
  expect(await badInterval.exited).toBe(2);
  expect(badInterval.stderr()).toMatch(/interval/);
});

test('Ctrl-C with --cancel-on-interrupt cancels the running job at once: exit 130, record cancelled', async () => {
  const run = cli(['analyze', 'SLOWCOIN', '1h', '--timeframe', '2d', '--json', '--cancel-on-interrupt']);
  const [, analysisId] = await run.waitForStderr(/queued (analysis_\w+)/);
  // Running: the worker is waiting on the market data that never comes.
  await eventually(async () => (stack.stub.requests('SLOWCOIN').length > 0 ? true : undefined), 60_000, 'the fetch');
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(130);
  expect(JSON.parse(run.stdout())).toMatchObject({ analysis_id: analysisId, status: 'cancelled' });
});

test('Ctrl-C asks first: "y" cancels; otherwise a second Ctrl-C stops following and leaves the job running', async () => {
  const requestsBefore = stack.stub.requests('SLOWCOIN').length;
  const asked = cli(['analyze', 'SLOWCOIN', '1h', '--timeframe', '2d', '--json']);
  await asked.waitForStderr(/queued analysis_/);
  await eventually(
    async () => (stack.stub.requests('SLOWCOIN').length > requestsBefore ? true : undefined),
    30_000,
    'fetch',
  );
  asked.child.kill('SIGINT');
  await asked.waitForStderr(/Cancel analysis_\w+\? \[y\/N\]/);
  asked.child.stdin.write('y\n');
  expect(await asked.exited).toBe(130);
  expect(JSON.parse(asked.stdout())).toMatchObject({ status: 'cancelled' });

  const left = cli(['analyze', 'SLOWCOIN', '1h', '--timeframe', '2d', '--json']);
  const [, analysisId] = await left.waitForStderr(/queued (analysis_\w+)/);
  left.child.kill('SIGINT');
  await left.waitForStderr(/\[y\/N\]/);
  left.child.kill('SIGINT');
  expect(await left.exited).toBe(130);
  expect(left.stderr()).toMatch(/stopped following/);
  expect(left.stdout()).toBe('');
  const status = cli(['status', analysisId!, '--json']);
  expect(await status.exited).toBe(0);
  expect(['queued', 'processing']).toContain((JSON.parse(status.stdout()) as { status: string }).status);
});

test('status, list --status and list --json show the caller’s analyses', async () => {
  const done = cli(['analyze', 'ETHUSDT', '4h', '--timeframe', '7d', '--json']);
  expect(await done.exited).toBe(0);
  const { analysis_id: analysisId } = JSON.parse(done.stdout()) as { analysis_id: string };

  const status = cli(['status', analysisId]);
  expect(await status.exited).toBe(0);
  expect(status.stdout()).toMatch(new RegExp(`^analysis_id\\s+${analysisId}$`, 'm'));
  expect(status.stdout()).toMatch(/^status\s+completed$/m);

  const missing = cli(['status', 'analysis_01ARZ3NDEKTSV4RRFFQ69G5FAV']);
  expect(await missing.exited).toBe(1);
  expect(missing.stderr()).toMatch(/analysis_01ARZ3NDEKTSV4RRFFQ69G5FAV/);

  const completed = cli(['list', '--status', 'completed', '--json']);
  expect(await completed.exited).toBe(0);
  const rows = completed
    .stdout()
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { analysis_id: string; status: string; user_id: string });
  expect(rows.map((row) => row.analysis_id)).toContain(analysisId);
  expect(rows.every((row) => row.status === 'completed' && row.user_id === 'dora')).toBe(true);

  const table = cli(['list', '--status', 'cancelled']);
  expect(await table.exited).toBe(0);
  expect(table.stdout()).toMatch(/^ANALYSIS\s+STATUS\s+SYMBOL/);
  expect(table.stdout()).toMatch(/SLOWCOIN/);
  expect(table.stdout()).not.toMatch(/ETHUSDT/);

  const badStatus = cli(['list', '--status', 'done']);
  expect(await badStatus.exited).toBe(2);
  expect(badStatus.stderr()).toMatch(/--status/);
});

test('watch draws the queue and the live workers, refreshing at most once a second', async () => {
  const admin = await signToken(stack.env.AUTH_SECRET!, 'root', { admin: true });
  const once = cli(['watch', '--once'], { CANDELA_TOKEN: admin });
  expect(await once.exited).toBe(0);
  expect(once.stdout()).toMatch(/^STREAM\s+IN STREAM\s+PENDING\s+WAITING\s+CONSUMERS$/m);
  expect(once.stdout()).toMatch(/^market-analysis-jobs\s+\d+\s+\d+\s+\d+\s+2$/m);
  expect(once.stdout()).toMatch(/^WORKER\s+HEARTBEAT.*RECLAIMS\/1H\s+POISON\/1H\s+TAKEOVERS\/1H$/m);
  expect(once.stdout()).toMatch(/^worker-\S+\s+\d+ s ago\s+2\s+\d+/m);

  const tooFast = cli(['watch', '--interval', '0.5']);
  expect(await tooFast.exited).toBe(2);

  const live = cli(['watch', '--interval', '1'], { CANDELA_TOKEN: admin });
  await eventually(
    async () => ((live.stdout().match(/candela watch — /g) ?? []).length >= 2 ? true : undefined),
    30_000,
    'a second frame',
  );
  live.child.kill('SIGINT');
  expect(await live.exited).toBe(0);

  // A token without admin still sees the queue, and is told why the workers are not shown.
  const user = cli(['watch', '--once']);
  expect(await user.exited).toBe(0);
  expect(user.stdout()).toMatch(/^workers: .*admin/im);
});
