/**
 * Schedules with real processes on the wall clock: an API node and two worker processes on a
 * file source whose 1m candles this test appends as time goes by (the open minute included,
 * as an exchange shows it). Each new bar runs once although both workers race for it, and its
 * children analyse the closed candles only; with every worker stopped across two bars, the
 * restarted workers run the latest bar once and the missed one never.
 */
import { jest } from '@jest/globals';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signToken } from '../../../router/auth.js';
import { createKeys } from '../../../storage/keys.js';
import { type CandelaProcess, eventually, startCandela, stopCandela } from '../../support/candelaProcess.js';
import { freePort, startRedis, type TestRedis } from '../../support/redisServer.js';

jest.setTimeout(9 * 60_000);

const SECRET = 'schedule-workers-test-secret';
const MINUTE = 60_000;
const SETTLE_S = 1;
const keys = createKeys();

let redis: TestRedis;
let marketDir: string;
let env: Record<string, string>;
let api: CandelaProcess;
let workers: CandelaProcess[] = [];
let appender: NodeJS.Timeout;
let base: string;
let token: string;

const minuteOf = (time: number) => Math.floor(time / MINUTE) * MINUTE;

/** A candle row per minute up to the one open now, for both symbols. */
function appendUpTo(lastWritten: number, now: number): number {
  let minute = lastWritten + MINUTE;
  for (; minute <= minuteOf(now); minute += MINUTE)
    for (const symbol of ['BTCUSDT', 'ETHUSDT']) {
      const price = 100 + 10 * Math.sin(minute / (17 * MINUTE)) + (symbol === 'ETHUSDT' ? 50 : 0);
      appendFileSync(
        path.join(marketDir, `${symbol}-1m.csv`),
        `${minute},${price},${price + 1.5},${price - 1.5},${price + 0.5},${1000 + ((minute / MINUTE) % 97)}\n`,
      );
    }
  return minute - MINUTE;
}

const startWorkers = async () => {
  workers = [startCandela(['worker'], env), startCandela(['worker'], env)];
  await Promise.all(workers.map((worker) => worker.waitForOutput(/worker started/, 60_000)));
};

async function http<T>(method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Every scan of the user, with the candle limit of its children (one limit per scan: one interval). */
async function scansByBar(): Promise<Map<number, string[]>> {
  const ids = await redis.client.zrange(keys.userScans('sam'), '0', '-1');
  const byBar = new Map<number, string[]>();
  for (const id of ids) {
    const [child] = await redis.client.lrange(keys.scanChildren(id), 0, 0);
    const until = Number(await redis.client.hget(keys.job(child ?? ''), 'candles_until'));
    byBar.set(until, [...(byBar.get(until) ?? []), id]);
  }
  return byBar;
}

beforeAll(async () => {
  redis = await startRedis();
  marketDir = mkdtempSync(path.join(os.tmpdir(), 'candela-schedules-'));
  for (const symbol of ['BTCUSDT', 'ETHUSDT'])
    writeFileSync(path.join(marketDir, `${symbol}-1m.csv`), 'time,open,high,low,close,volume\n');
  let written = appendUpTo(minuteOf(Date.now()) - 180 * MINUTE, Date.now());
  appender = setInterval(() => (written = appendUpTo(written, Date.now())), 250);
  const port = await freePort();
  env = {
    REDIS_URL: redis.url,
    AUTH_SECRET: SECRET,
    PORT: String(port),
    MARKET_DATA_PROVIDER: 'file',
    MARKET_DATA_DIR: marketDir,
    DATA_DIR: path.join(marketDir, 'data'),
    SCHEDULE_SETTLE_DELAY: String(SETTLE_S),
    SCHEDULE_POLL_MS: '200',
  };
  base = `http://127.0.0.1:${port}`;
  token = await signToken(SECRET, 'sam');
  api = startCandela(['api'], env);
  await api.waitForOutput(/api listening/, 60_000);
  await startWorkers();
});
afterAll(async () => {
  clearInterval(appender);
  await stopCandela([api, ...workers]);
  await redis.stop();
  rmSync(marketDir, { recursive: true, force: true });
});

test('one run per new bar with two workers racing; stopped across two bars, the latest bar runs once', async () => {
  const created = await http<{ schedule_id: string }>('POST', '/schedules', {
    symbols: ['BTCUSDT', 'ETHUSDT'],
    intervals: ['1m'],
    timeframe: '1h',
  });
  const id = created.schedule_id;
  type Schedule = { runs: number; recent_runs: { scan_id: string; closed_at: string }[] };
  const twoRuns = await eventually(
    async () => {
      const schedule = await http<Schedule>('GET', `/schedules/${id}`);
      return schedule.runs >= 2 ? schedule : undefined;
    },
    4 * MINUTE,
    'two scheduled runs',
  );
  const [second, first] = twoRuns.recent_runs.map((run) => Date.parse(run.closed_at));
  expect(second! - first!).toBe(MINUTE);

  // The first run's children complete, on the candles closed at its bar, not the open one the file already has.
  type Child = { analysis_id: string; status: string };
  const firstScan = twoRuns.recent_runs[1]!.scan_id;
  const children = await eventually(
    async () => {
      const scan = await http<{ status: string; children: Child[] }>('GET', `/scans/${firstScan}`);
      return scan.status === 'completed' ? scan.children : undefined;
    },
    2 * MINUTE,
    'the first run to complete',
  );
  expect(children).toHaveLength(2);
  for (const child of children) {
    const record = await http<{ analysis_data: { window: { end: string } } }>(
      'GET',
      `/analysis/status/${child.analysis_id}`,
    );
    expect(Date.parse(record.analysis_data.window.end)).toBe(first! - MINUTE);
  }

  await stopCandela(workers);
  const stoppedAfter = Math.max(...(await scansByBar()).keys());
  // Two more bars close with no worker up.
  await eventually(
    async () => (Date.now() >= stoppedAfter + 2 * MINUTE + SETTLE_S * 1000 + 500 ? true : undefined),
    4 * MINUTE,
    'two bars to close while every worker is stopped',
  );
  await startWorkers();
  const firstAfter = await eventually(
    async () => {
      const later = [...(await scansByBar()).keys()].filter((bar) => bar > stoppedAfter);
      return later.length > 0 ? Math.min(...later) : undefined;
    },
    2 * MINUTE,
    'the restarted workers to run the latest bar',
  );
  // The first run after the restart is for the latest closed bar, at least two bars on; the ones missed are never run.
  expect(firstAfter - stoppedAfter).toBeGreaterThanOrEqual(2 * MINUTE);
  const byBar = await scansByBar();
  for (const [bar, scans] of byBar) expect({ bar, scans: scans.length }).toEqual({ bar, scans: 1 });
  for (let bar = stoppedAfter + MINUTE; bar < firstAfter; bar += MINUTE) expect(byBar.has(bar)).toBe(false);
});
