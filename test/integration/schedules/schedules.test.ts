/**
 * Schedules against a real redis-server, on an injected time: two nodes (two stores on their
 * own connections) racing over the same due schedules make one scan per schedule per bar; a
 * schedule that missed bars runs the latest once; a run a node claimed and died before
 * creating is finished by another; pause, resume and delete; and no user sees another's.
 */
import { TRPCError } from '@trpc/server';
import type { Redis } from 'ioredis';
import { createKeys } from '../../../storage/keys.js';
import { runScript } from '../../../storage/scripts/runScript.js';
import { claimScheduleRun } from '../../../storage/scripts/scheduleScripts.js';
import { createScanStore, scanStoreOptions } from '../../../storage/scans/scanStore.js';
import { newScanId } from '../../../storage/scans/scanId.js';
import { createJobQueue } from '../../../storage/jobQueue.js';
import { createScheduleStore, type DueOutcome, type ScheduleStore } from '../../../storage/schedules/scheduleStore.js';
import { loadConfig } from '../../../config/env.js';
import { type InProcessApi, startInProcessApi } from '../api/inProcessApi.js';

const SETTLE_MS = 10_000;
const at = (iso: string) => Date.parse(iso);
const keys = createKeys();

let api: InProcessApi;
let connections: Redis[] = [];
let nodes: ScheduleStore[];

beforeAll(async () => {
  api = await startInProcessApi({ ANALYSIS_MAX_ACTIVE_JOBS_PER_USER: '50' });
  const config = loadConfig({ REDIS_URL: api.redis.url, AUTH_SECRET: 'x'.repeat(20) });
  connections = [api.redis.client.duplicate(), api.redis.client.duplicate()];
  nodes = connections.map((redis) =>
    createScheduleStore(
      redis,
      keys,
      createScanStore(redis, keys, createJobQueue(redis, keys), scanStoreOptions(config)),
      {
        settleMs: SETTLE_MS,
        maxSchedulesPerUser: 5,
      },
    ),
  );
});
afterAll(async () => {
  for (const redis of connections) redis.disconnect();
  await api.stop();
});

/** Every node looks at the due schedules at `now`, all at once, a few times over: what each look came to. */
async function race(now: number, rounds = 3): Promise<DueOutcome[]> {
  const outcomes: DueOutcome[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const looks = await Promise.all(
      nodes.map(async (node) => Promise.all((await node.due(now, 50)).map((id) => node.runDue(id, now)))),
    );
    outcomes.push(...looks.flat());
  }
  return outcomes;
}

const ran = (outcomes: DueOutcome[], scheduleId: string) =>
  outcomes.filter(
    (outcome): outcome is Extract<DueOutcome, { outcome: 'ran' }> =>
      outcome.outcome === 'ran' && outcome.scheduleId === scheduleId,
  );

async function childrenOf(scanId: string) {
  const read = await api.services.scans.read(scanId);
  if (!read) throw new Error(`no scan ${scanId}`);
  return read;
}

async function untilOf(analysisId: string): Promise<number> {
  return Number(await api.redis.client.hget(keys.job(analysisId), 'candles_until'));
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'OK',
    (error: unknown) => (error instanceof TRPCError ? error.code : `not a TRPCError: ${String(error)}`),
  );

test('racing nodes make one scan per bar; each interval runs on its own closes, on closed candles only', async () => {
  const schedule = await nodes[0]!.create(
    'alice',
    { symbols: ['BTCUSDT', 'ETHUSDT'], intervals: ['1h', '4h'], timeframe: '7d', alert_rules: [] },
    at('2026-01-01T10:00:30Z'),
  );
  // Before the 11:00 candle has settled, nothing is due.
  expect(await race(at('2026-01-01T11:00:09Z'))).toEqual([]);

  const first = ran(await race(at('2026-01-01T11:00:10Z')), schedule.schedule_id);
  expect(first).toHaveLength(1);
  expect(first[0]!.bars).toEqual([{ interval: '1h', bar: at('2026-01-01T10:00:00Z') }]);
  const firstScan = await childrenOf(first[0]!.scanId);
  expect(firstScan.scan).toMatchObject({ schedule_id: schedule.schedule_id, intervals: ['1h'], total: 2 });
  for (const child of firstScan.children) expect(await untilOf(child.analysis_id)).toBe(at('2026-01-01T11:00:00Z'));

  // 12:00 closes a 1h and a 4h candle: one run covers both.
  const second = ran(await race(at('2026-01-01T12:00:15Z')), schedule.schedule_id);
  expect(second).toHaveLength(1);
  expect(second[0]!.bars).toEqual([
    { interval: '1h', bar: at('2026-01-01T11:00:00Z') },
    { interval: '4h', bar: at('2026-01-01T08:00:00Z') },
  ]);
  const secondScan = await childrenOf(second[0]!.scanId);
  expect(secondScan.scan.total).toBe(4);
  for (const child of secondScan.children) expect(await untilOf(child.analysis_id)).toBe(at('2026-01-01T12:00:00Z'));

  const stored = await api.services.schedules.get(schedule.schedule_id);
  expect(stored).toMatchObject({ runs: 2, last_scan_id: second[0]!.scanId });
  const runs = await api.services.schedules.runs(schedule.schedule_id, 10);
  expect(runs.map((run) => run.scan_id)).toEqual([second[0]!.scanId, first[0]!.scanId]);
  expect((await api.services.scans.list('alice', { limit: 100, offset: 0 })).total).toBe(2);
});

test('a schedule that missed bars (no node looked) runs the latest closed bar once, not every missed one', async () => {
  const schedule = await nodes[0]!.create(
    'carol',
    { symbols: ['BTCUSDT'], intervals: ['1h'], timeframe: '2d', alert_rules: [] },
    at('2026-01-02T10:20:00Z'),
  );
  // Nobody looks at 11:00, 12:00, 13:00; the nodes come back at 14:30.
  const outcomes = await race(at('2026-01-02T14:30:00Z'));
  const runs = ran(outcomes, schedule.schedule_id);
  expect(runs).toHaveLength(1);
  expect(runs[0]!.bars).toEqual([{ interval: '1h', bar: at('2026-01-02T13:00:00Z') }]);
  const scans = await api.services.scans.list('carol', { limit: 100, offset: 0 });
  expect(scans.total).toBe(1);
  // The next close runs as usual, and only once.
  expect(ran(await race(at('2026-01-02T15:00:10Z')), schedule.schedule_id)).toHaveLength(1);
  expect((await api.services.scans.list('carol', { limit: 100, offset: 0 })).total).toBe(2);
});

test('a run claimed by a node that died before creating its scan is created by another node, once', async () => {
  const schedule = await nodes[0]!.create(
    'dave',
    { symbols: ['BTCUSDT'], intervals: ['1h'], timeframe: '2d', alert_rules: [] },
    at('2026-01-03T10:20:00Z'),
  );
  const now = at('2026-01-03T11:00:10Z');
  const orphan = newScanId(now);
  // What a node does first, and then it dies: the bar is claimed, the scan never created.
  const claim = await runScript(api.redis.client, claimScheduleRun, {
    keys: { schedule: keys.schedule(schedule.schedule_id), due: keys.schedulesDue() },
    args: {
      scheduleId: schedule.schedule_id,
      nextDue: 0,
      retryAt: now + 5000,
      scanId: orphan,
      bars: ['1h', at('2026-01-03T10:00:00Z')],
    },
  });
  expect(claim).toMatchObject({ outcome: 'run', scanId: orphan });
  expect(await api.services.scans.get(orphan)).toBeUndefined();

  // Not before the retry time; then the pending run is finished under the claimed id.
  expect(ran(await race(now + 1000), schedule.schedule_id)).toEqual([]);
  const finished = ran(await race(now + 5000), schedule.schedule_id);
  expect(finished.map((run) => run.scanId)).toEqual([orphan]);
  expect((await api.services.scans.get(orphan))?.schedule_id).toBe(schedule.schedule_id);
  expect((await api.services.scans.list('dave', { limit: 100, offset: 0 })).total).toBe(1);
  expect(await api.services.schedules.get(schedule.schedule_id)).toMatchObject({ runs: 1 });
});

test('through the router: create, pause (no runs), resume (from the next close on), delete; strangers see nothing', async () => {
  const [erin, frank] = await Promise.all([api.token('erin'), api.token('frank')]);
  const caller = api.caller(erin);
  const created = await caller.schedules.create({ symbols: ['BTCUSDT'], intervals: ['1m'], timeframe: '1h' });
  expect(created).toMatchObject({ status: 'active', symbols: ['BTCUSDT'], intervals: ['1m'], runs: 0 });
  const id = created.schedule_id;
  expect((await caller.schedules.list()).schedules.map((schedule) => schedule.schedule_id)).toEqual([id]);

  const stranger = api.caller(frank);
  expect((await stranger.schedules.list()).total).toBe(0);
  for (const attempt of [
    stranger.schedules.get({ schedule_id: id }),
    stranger.schedules.pause({ schedule_id: id }),
    stranger.schedules.resume({ schedule_id: id }),
    stranger.schedules.delete({ schedule_id: id }),
  ])
    expect(await codeOf(attempt)).toBe('NOT_FOUND');

  const paused = await caller.schedules.pause({ schedule_id: id });
  expect(paused.status).toBe('paused');
  expect(await api.redis.client.zscore(keys.schedulesDue(), id)).toBeNull();
  const later = Date.now() + 10 * 60_000;
  expect(await nodes[0]!.runDue(id, later)).toEqual({ outcome: 'paused', scheduleId: id });

  const resumed = await caller.schedules.resume({ schedule_id: id });
  expect(resumed.status).toBe('active');
  const dueAt = Number(await api.redis.client.zscore(keys.schedulesDue(), id));
  expect(dueAt).toBeGreaterThan(Date.now());
  // The bars it slept through are not run: at resume time nothing new has closed.
  expect((await nodes[0]!.runDue(id, Date.now())).outcome).toBe('none');

  expect(await caller.schedules.delete({ schedule_id: id })).toEqual({ schedule_id: id, deleted: true });
  expect((await caller.schedules.list()).total).toBe(0);
  expect(await api.redis.client.zscore(keys.schedulesDue(), id)).toBeNull();
  expect(await codeOf(caller.schedules.get({ schedule_id: id }))).toBe('NOT_FOUND');
  expect(await nodes[0]!.runDue(id, later)).toEqual({ outcome: 'gone', scheduleId: id });
  expect((await api.services.scans.list('erin', { limit: 10, offset: 0 })).total).toBe(0);
});

test('bad input is refused naming the field, and writes nothing', async () => {
  const [gina, hank] = await Promise.all([api.token('gina'), api.token('hank')]);
  const caller = api.caller(gina);
  const refusal = async (input: unknown) => {
    try {
      await caller.schedules.create(input as Parameters<typeof caller.schedules.create>[0]);
      return 'accepted';
    } catch (error) {
      return error instanceof TRPCError ? `${error.code} ${error.message}` : String(error);
    }
  };
  expect(await refusal({ symbols: ['BTCUSDT'], intervals: ['2x'] })).toMatch(/BAD_REQUEST[\s\S]*interval/);
  expect(await refusal({ symbols: [], intervals: ['1h'] })).toMatch(/BAD_REQUEST[\s\S]*symbols/);
  expect(await refusal({ symbols: ['BTCUSDT'], intervals: ['1h'], alert_rules: ['nope'] })).toMatch(
    /BAD_REQUEST[\s\S]*alert_rules/,
  );
  const rule = await api.caller(hank).alerts.createRule({ name: 'hank only', patterns: ['doji'] });
  expect(await refusal({ symbols: ['BTCUSDT'], intervals: ['1h'], alert_rules: [rule.rule_id] })).toMatch(
    /BAD_REQUEST[\s\S]*alert_rules: no rule/,
  );
  expect((await caller.schedules.list()).total).toBe(0);
  const own = await api.caller(gina).alerts.createRule({ name: 'mine', patterns: ['doji'] });
  const created = await caller.schedules.create({
    symbols: ['BTCUSDT'],
    intervals: ['1h'],
    alert_rules: [own.rule_id],
  });
  expect(created.alert_rules).toEqual([own.rule_id]);
});

test('REST: POST/GET/DELETE /schedules and pause/resume, 400 naming the field, 404 for a stranger', async () => {
  const base = await api.serve();
  const [ivy, jack] = await Promise.all([api.token('ivy'), api.token('jack')]);
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const bad = await call('POST', '/schedules', ivy, { symbols: ['BTCUSDT'], intervals: ['1h'], timeframe: '0d' });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toMatch(/timeframe/);
  expect((await call('GET', '/schedules', ivy)).body).toMatchObject({ total: 0 });

  const created = await call('POST', '/schedules', ivy, { symbols: ['BTCUSDT'], intervals: ['1h', '4h'] });
  expect(created.status).toBe(201);
  const id = String(created.body.schedule_id);
  expect((await call('GET', `/schedules/${id}`, ivy)).body).toMatchObject({ schedule_id: id, recent_runs: [] });
  expect((await call('GET', `/schedules/${id}`, jack)).status).toBe(404);
  expect((await call('DELETE', `/schedules/${id}`, jack)).status).toBe(404);
  expect((await call('POST', `/schedules/${id}/pause`, jack)).status).toBe(404);
  expect((await call('POST', `/schedules/${id}/pause`, ivy)).body).toMatchObject({ status: 'paused' });
  expect((await call('POST', `/schedules/${id}/resume`, ivy)).body).toMatchObject({ status: 'active' });
  expect((await call('DELETE', `/schedules/${id}`, ivy)).body).toEqual({ schedule_id: id, deleted: true });
  expect((await call('GET', `/schedules/${id}`, ivy)).status).toBe(404);
});
