/**
 * What the API answers at its boundary, over real HTTP on in-process services: wrong types
 * are 400s naming the field, ids out of range are 400s, internal errors say only "internal
 * error" with a request id the log carries, and market-data failures lose server paths.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type InProcessApi, startInProcessApi } from './inProcessApi.js';

const marketData = mkdtempSync(path.join(os.tmpdir(), 'candela-market-'));
let api: InProcessApi;
let base: string;
let token: string;

beforeAll(async () => {
  writeFileSync(
    path.join(marketData, 'BTCUSDT-4h.csv'),
    'time,open,high,low,close,volume\n2024-01-01T00:00:00Z,1,2,0.5,1.5,10\n',
  );
  api = await startInProcessApi({ MARKET_DATA_PROVIDER: 'file', MARKET_DATA_DIR: marketData });
  base = await api.serve();
  token = await api.token('alice');
});
afterAll(async () => {
  await api.stop();
  rmSync(marketData, { recursive: true, force: true });
});

const post = (route: string, body: unknown) =>
  fetch(`${base}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

test('a user_id of the wrong type in the body is a 400 naming the field and its type, and queues nothing', async () => {
  const before = await api.redis.client.xlen(api.services.keys.stream);
  const response = await post('/analyze/BTCUSDT/1h', { user_id: 42, timeframe: '7d' });
  expect(response.status).toBe(400);
  expect(((await response.json()) as { message: string }).message).toBe('user_id: must be a string, got number');
  expect(await api.redis.client.xlen(api.services.keys.stream)).toBe(before);
});

test('a lastEventId beyond the 64-bit range is a 400 naming the field, not a raw Redis error', async () => {
  const { analysis_id } = await api
    .caller(token)
    .analysis.queue({ symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' });
  const feed = api.caller(token).analysis.progress({ analysis_id, lastEventId: '99999999999999999999-0' });
  await expect(feed).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('lastEventId') });
  await expect(
    api.caller(token).analysis.progress({ analysis_id, lastEventId: '1-99999999999999999999' }),
  ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
});

test('a market-data failure of an immediate analysis names the missing file, not the server directory or its listing', async () => {
  const response = await post('/analyze-immediate/BTCUSDT/1h', { timeframe: '1d' });
  const body = (await response.json()) as { message: string };
  expect(response.status).toBe(422);
  expect(body.message).toContain('BTCUSDT-1h.csv');
  expect(body.message).not.toContain(marketData);
  expect(body.message).not.toContain(os.tmpdir());
  expect(body.message).not.toMatch(/available for|4h/);
});

describe('an internal error', () => {
  beforeAll(async () => {
    // A stream key of the wrong type makes every stats read fail inside Redis.
    await api.redis.client.del(api.services.keys.stream);
    await api.redis.client.set(api.services.keys.stream, 'not a stream');
  });

  test('over REST says "internal error" with a request id, and the log line carries the id and the cause', async () => {
    const response = await fetch(`${base}/analysis/queue/stats`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { message: string; request_id: string };
    expect(response.status).toBe(500);
    expect(body.message).toBe(`internal error (request id ${body.request_id})`);
    expect(response.headers.get('x-request-id')).toBe(body.request_id);
    expect(JSON.stringify(body)).not.toMatch(/WRONGTYPE/);
    const line = api.logLines.find((entry) => entry.requestId === body.request_id);
    expect(JSON.stringify(line)).toMatch(/WRONGTYPE/);
  });

  test('over tRPC says "internal error" with a request id, and the log line carries the id and the cause', async () => {
    const response = await fetch(`${base}/trpc/queue.stats`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { error: { message: string; data: { requestId: string } } };
    expect(response.status).toBe(500);
    const { requestId } = body.error.data;
    expect(body.error.message).toBe(`internal error (request id ${requestId})`);
    expect(JSON.stringify(body)).not.toMatch(/WRONGTYPE/);
    expect(JSON.stringify(api.logLines.find((entry) => entry.requestId === requestId))).toMatch(/WRONGTYPE/);
  });
});
