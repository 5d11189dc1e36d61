/**
 * Scans end to end in one process: the real router (createCaller and HTTP), real worker
 * nodes and a real redis-server. A scan's children are real jobs on the stream.
 */
import { TRPCError } from '@trpc/server';
import { spawnNoopJobActor } from '../../../actors/noopJobActor.js';
import type { WorkerNode } from '../../../supervisors/workerNode.js';
import { eventually } from '../../support/candelaProcess.js';
import { type InProcessApi, startInProcessApi } from '../../integration/api/inProcessApi.js';
import { startScanWorker, untilAborted } from './scanWorkers.js';

let api: InProcessApi;
let alice: string;
let bob: string;
const workers: WorkerNode[] = [];

beforeAll(async () => {
  api = await startInProcessApi({ ANALYSIS_MAX_ACTIVE_JOBS_PER_USER: '3' });
  [alice, bob] = await Promise.all([api.token('alice'), api.token('bob')]);
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.shutdown(1000)));
});
afterAll(() => api.stop());

const symbols = (count: number) => Array.from({ length: count }, (_, index) => `SYM${index}USDT`);

/** In process, a tracked event arrives as tRPC's envelope [id, data, symbol] although it is typed as { id, data }. */
function unwrap<T>(message: { id: string; data: T }): { id: string; data: T } {
  const raw: unknown = message;
  return Array.isArray(raw) ? { id: String(raw[0]), data: raw[1] as T } : message;
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'OK',
    (error: unknown) => (error instanceof TRPCError ? error.code : `not a TRPCError: ${String(error)}`),
  );

test('a scan of 50 symbols x 2 intervals completes with 100 children, one slot of the cap while it runs', async () => {
  const caller = api.caller(alice);
  const created = await caller.scans.create({ symbols: symbols(50), intervals: ['1h', '4h'], timeframe: '7d' });
  expect(created.total).toBe(100);
  expect(new Set(created.children.map((child) => child.analysis_id)).size).toBe(100);
  // The cap is 3: the 100 children hold one slot, so two single analyses still fit and a third does not.
  await caller.analysis.queue({ symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' });
  await caller.analysis.queue({ symbol: 'ETHUSDT', interval: '1h', timeframe: '7d' });
  expect(await codeOf(caller.analysis.queue({ symbol: 'XRPUSDT', interval: '1h', timeframe: '7d' }))).toBe(
    'TOO_MANY_REQUESTS',
  );

  workers.push(await startScanWorker(api.redis.url, spawnNoopJobActor));
  const done = await eventually(
    async () => {
      // A fresh caller per poll: each call's context has its own budget of rows.
      const scan = await api.caller(alice).scans.status({ scan_id: created.scan_id });
      return scan.status === 'completed' ? scan : undefined;
    },
    60_000,
    'the scan to complete',
  );
  expect(done.children).toHaveLength(100);
  expect(done.children.every((child) => child.status === 'completed')).toBe(true);
  expect(done).toMatchObject({ total: 100, done: 100, completed: 100, failed: 0, progress: 1 });
  expect(done.children.map((child) => `${child.symbol}-${child.interval}`)).toContain('SYM49USDT-4h');
  // The finished scan gave its slot back.
  await caller.analysis.queue({ symbol: 'XRPUSDT', interval: '1h', timeframe: '7d' });

  const listed = await caller.scans.list();
  expect(listed.scans.map((scan) => scan.scan_id)).toContain(created.scan_id);
  expect((await api.caller(bob).scans.list()).total).toBe(0);
  expect(await codeOf(api.caller(bob).scans.status({ scan_id: created.scan_id }))).toBe('NOT_FOUND');
  expect(await codeOf(api.caller(bob).scans.cancel({ scan_id: created.scan_id }))).toBe('NOT_FOUND');
});

test('cancelling mid-way leaves no child queued or running, and the scan ends cancelled', async () => {
  const caller = api.caller(bob);
  const created = await caller.scans.create({ symbols: symbols(20), intervals: ['1h'], timeframe: '7d' });
  workers.push(await startScanWorker(api.redis.url, untilAborted));
  await eventually(async () => {
    const scan = await api.caller(bob).scans.status({ scan_id: created.scan_id });
    return scan.children.some((child) => child.status === 'processing') ? true : undefined;
  });
  const cancelled = await caller.scans.cancel({ scan_id: created.scan_id });
  expect(cancelled.cancelled_children + cancelled.cancel_requested_children).toBe(20);
  expect(cancelled.cancel_requested_children).toBeGreaterThan(0);
  const ended = await eventually(async () => {
    const scan = await api.caller(bob).scans.status({ scan_id: created.scan_id });
    return scan.status === 'cancelled' ? scan : undefined;
  });
  expect(ended.children.every((child) => child.status === 'cancelled')).toBe(true);
  expect(ended).toMatchObject({ done: 20, cancelled: 20 });
  expect(await codeOf(caller.scans.cancel({ scan_id: created.scan_id }))).toBe('CONFLICT');
});

test('the result table of a real scan: per child, trend, nearest levels and recent patterns; progress replays every child', async () => {
  const caller = api.caller(alice);
  const created = await caller.scans.create({ symbols: ['BTCUSDT', 'ETHUSDT'], intervals: ['1h'], timeframe: '7d' });
  workers.push(await startScanWorker(api.redis.url));
  const events: { id: string; status: string; child: unknown }[] = [];
  const feed = await caller.scans.progress({ scan_id: created.scan_id });
  for await (const message of feed) {
    const { id, data: event } = unwrap(message);
    events.push({ id, status: event.status, child: event.data?.analysis_id });
    if (event.status === 'completed' || event.status === 'failed') break;
  }
  expect(events).toHaveLength(2);
  expect(events.at(-1)!.status).toBe('completed');
  expect(new Set(events.map((event) => event.child))).toEqual(
    new Set(created.children.map((child) => child.analysis_id)),
  );
  const scan = await caller.scans.status({ scan_id: created.scan_id });
  for (const child of scan.children) {
    expect(child.status).toBe('completed');
    expect(child.result).toMatchObject({
      trend: { direction: expect.stringMatching(/^(up|down|sideways)$/) },
      last_close: expect.any(Number),
    });
    expect(Array.isArray(child.result?.patterns)).toBe(true);
  }
  // Resumed after the first event, the feed sends only the second.
  const resumed = await caller.scans.progress({ scan_id: created.scan_id, lastEventId: events[0]!.id });
  const rest: string[] = [];
  for await (const message of resumed) rest.push(unwrap(message).id);
  expect(rest).toEqual([events[1]!.id]);
});

test('REST: POST /scans, GET /scans/{id}, DELETE /scans/{id}; bad input is a 400 naming the field', async () => {
  const url = await api.serve();
  const headers = { authorization: `Bearer ${alice}`, 'content-type': 'application/json' };
  const bad = await fetch(`${url}/scans`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ symbols: ['btc'], intervals: ['1h'] }),
  });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(await bad.json())).toContain('symbols');
  const tooMany = await fetch(`${url}/scans`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ symbols: symbols(201), intervals: ['1h'] }),
  });
  expect(tooMany.status).toBe(400);

  const posted = await fetch(`${url}/scans`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ symbols: ['BTCUSDT'], intervals: ['1h', '4h'], timeframe: '7d' }),
  });
  expect(posted.status).toBe(202);
  const created = (await posted.json()) as { scan_id: string; total: number };
  expect(created.total).toBe(2);
  const read = await fetch(`${url}/scans/${created.scan_id}`, { headers: { authorization: `Bearer ${alice}` } });
  expect(await read.json()).toMatchObject({ scan_id: created.scan_id, status: 'queued', total: 2 });
  const strangers = await fetch(`${url}/scans/${created.scan_id}`, { headers: { authorization: `Bearer ${bob}` } });
  expect(strangers.status).toBe(404);
  const deleted = await fetch(`${url}/scans/${created.scan_id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${alice}` },
  });
  expect(deleted.status).toBe(200);
  expect(await deleted.json()).toMatchObject({ status: 'cancelled', cancelled_children: 2 });
});
