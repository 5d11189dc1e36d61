/**
 * AUTH_MODE=none answers this machine only: a DNS-rebinding Host, a foreign WebSocket Origin
 * and a text/plain POST are refused, and no caller is admin unless AUTH_NONE_ADMIN says so.
 */
import http from 'node:http';
import { WebSocket } from 'ws';
import { type InProcessApi, startInProcessApi } from './inProcessApi.js';

let api: InProcessApi;
let base: URL;
beforeAll(async () => {
  api = await startInProcessApi({ AUTH_MODE: 'none' });
  base = new URL(await api.serve());
});
afterAll(() => api.stop());

function request(
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, path, method, headers }, (res) => {
      let text = '';
      res
        .setEncoding('utf8')
        .on('data', (chunk: string) => (text += chunk))
        .on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function upgrade(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://${base.host}/trpc`, { headers });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('error', () => undefined);
  });
}

test('a request whose Host is not a loopback name is refused (DNS rebinding)', async () => {
  const rebound = await request('/analysis/queue/stats', { host: 'attacker.example:8000' });
  expect(rebound.status).toBe(403);
  expect(rebound.body).toMatch(/host: /);
  expect((await request('/analysis/queue/stats', { host: `localhost:${base.port}` })).status).toBe(200);
  expect((await request('/analysis/queue/stats', { host: `127.0.0.1:${base.port}` })).status).toBe(200);
});

test('a WebSocket upgrade from a foreign Origin or Host is refused; a local or absent Origin is accepted', async () => {
  expect(await upgrade({ origin: 'https://attacker.example' })).toBe(403);
  expect(await upgrade({ host: 'attacker.example', origin: 'http://attacker.example' })).toBe(403);
  expect(await upgrade({ origin: `http://localhost:${base.port}` })).toBe(101);
  expect(await upgrade({})).toBe(101);
});

test('a text/plain POST (no preflight from a web page) is 415 and queues nothing', async () => {
  const before = await api.redis.client.xlen(api.services.keys.stream);
  const body = JSON.stringify({ user_id: 'carol', timeframe: '7d' });
  const plain = await request(
    '/analyze/BTCUSDT/1h',
    { host: base.host, 'content-type': 'text/plain', 'content-length': String(body.length) },
    'POST',
    body,
  );
  expect(plain.status).toBe(415);
  expect(plain.body).toMatch(/content-type: /);
  expect(await api.redis.client.xlen(api.services.keys.stream)).toBe(before);
  const json = await request(
    '/analyze/BTCUSDT/1h',
    { host: base.host, 'content-type': 'application/json', 'content-length': String(body.length) },
    'POST',
    body,
  );
  expect(json.status).toBe(202);
});

test('no caller is admin implicitly', async () => {
  await expect(api.caller(undefined).workers.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  await expect(api.caller(undefined).queue.deadLetters()).rejects.toMatchObject({ code: 'FORBIDDEN' });
});
