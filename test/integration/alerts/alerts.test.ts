/**
 * Alert rules end to end in one process: real router, real worker nodes running the real
 * pipeline on synthetic candles, a real redis-server, and local HTTP servers as webhook
 * receivers.
 */
import { jest } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TRPCError } from '@trpc/server';
import type { JobActorFactory } from '../../../actors/jobActorFactory.js';
import { spawnJobActor } from '../../../actors/jobActor.js';
import { checkWebhookUrl } from '../../../integrations/webhooks/webhookAddress.js';
import { verifyWebhook } from '../../../integrations/webhooks/webhookSignature.js';
import type { WorkerNode } from '../../../supervisors/workerNode.js';
import { eventually } from '../../support/candelaProcess.js';
import { type InProcessApi, startInProcessApi } from '../../integration/api/inProcessApi.js';
import { startScanWorker } from '../scans/scanWorkers.js';

const WORKER_ENV = {
  ALERT_WEBHOOK_ALLOW_PRIVATE: '1',
  ALERT_WEBHOOK_RETRY_BASE_MS: '50',
  ALERT_WEBHOOK_POLL_MS: '50',
  ANALYSIS_RETRY_BASE_MS: '50',
};

let api: InProcessApi;
let worker: WorkerNode;
const servers: Server[] = [];

// Each test runs the real pipeline on a shared, busy machine.
jest.setTimeout(150_000);

/** Fails its first attempt (retryable), then runs the real pipeline: a retried job. */
const failFirstAttempt: JobActorFactory = (parent, options) =>
  options.record.attempts === 0
    ? spawnJobActor(parent, {
        ...options,
        services: {
          ...options.services,
          candles: { load: () => Promise.reject(new Error('market data hiccup')) },
        },
      })
    : spawnJobActor(parent, options);

beforeAll(async () => {
  api = await startInProcessApi({ ALERT_WEBHOOK_ALLOW_PRIVATE: '1' });
  worker = await startScanWorker(api.redis.url, undefined, WORKER_ENV);
});
afterAll(async () => {
  await worker.shutdown(1000);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await api.stop();
});

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver that answers 500 to its first `failures` requests, then 200. */
async function receiver(failures: number): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.statusCode = received.length <= failures ? 500 : 200;
      res.end('ignored');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

function unwrap<T>(message: { id: string; data: T }): { id: string; data: T } {
  const raw: unknown = message;
  return Array.isArray(raw) ? { id: String(raw[0]), data: raw[1] as T } : message;
}

test('a rule fires once per bar across a retried job and a second job on the same bar; subscribe sees it', async () => {
  const token = await api.token('carol');
  const caller = api.caller(token);
  const { rule_id } = await caller.alerts.createRule({ name: 'any pattern on BTC', symbols: ['BTCUSDT'] });
  const feed = (await caller.alerts.subscribe({}))[Symbol.asyncIterator]();
  const first = feed.next();

  await worker.shutdown(1000);
  worker = await startScanWorker(api.redis.url, failFirstAttempt, WORKER_ENV);
  const request = { symbol: 'BTCUSDT', interval: '1d', timeframe: '60d' } as const;
  const ids = [(await caller.analysis.queue(request)).analysis_id, (await caller.analysis.queue(request)).analysis_id];
  for (const analysisId of ids)
    await eventually(async () => {
      const job = await caller.analysis.status({ analysis_id: analysisId });
      return job.status === 'completed' ? job : undefined;
    });
  const jobs = await Promise.all(ids.map((analysis_id) => caller.analysis.status({ analysis_id })));
  expect(jobs.map((job) => job.attempts)).toEqual([1, 1]);

  const alerts = await eventually(async () => {
    const { alerts } = await api.caller(token).alerts.list({ rule_id });
    return alerts.length > 0 ? alerts : undefined;
  });
  expect(alerts).toHaveLength(1);
  expect(alerts[0]).toMatchObject({ rule_id, symbol: 'BTCUSDT', interval: '1d', delivery: 'none' });
  expect(alerts[0]!.match.patterns.length).toBeGreaterThan(0);
  expect(ids).toContain(alerts[0]!.analysis_id);
  const live = unwrap((await first).value as { id: string; data: { alert_id: string } });
  expect(live.data.alert_id).toBe(alerts[0]!.alert_id);
  await feed.return?.(undefined);
  // Another user never sees it.
  expect((await api.caller(await api.token('mallory')).alerts.list()).alerts).toHaveLength(0);

  await worker.shutdown(1000);
  worker = await startScanWorker(api.redis.url, undefined, WORKER_ENV);
});

test('a worker that has seen a user without rules hears of a rule written later, and of its deletion', async () => {
  const token = await api.token('frank');
  const caller = api.caller(token);
  const completed = async (request: { symbol: 'BTCUSDT'; interval: '1d' | '12h'; timeframe: '60d' | '30d' }) => {
    const { analysis_id } = await caller.analysis.queue(request);
    await eventually(async () => {
      const job = await caller.analysis.status({ analysis_id });
      return job.status === 'completed' ? job : undefined;
    });
    return analysis_id;
  };
  // Ended while frank has no rule: the worker now holds his (empty) rules.
  await completed({ symbol: 'BTCUSDT', interval: '1d', timeframe: '60d' });
  const { rule_id } = await caller.alerts.createRule({ name: 'SOL', symbols: ['BTCUSDT'] });
  const second = await completed({ symbol: 'BTCUSDT', interval: '1d', timeframe: '60d' });
  const alerts = await eventually(async () => {
    const { alerts } = await api.caller(token).alerts.list({ rule_id });
    return alerts.length > 0 ? alerts : undefined;
  });
  expect(alerts.map((alert) => alert.analysis_id)).toEqual([second]);

  await caller.alerts.deleteRule({ rule_id });
  // A marker rule written after the deletion: once its alert exists, the deleted rule had its chance to fire.
  const marker = await caller.alerts.createRule({ name: 'BTC, after the deletion', symbols: ['BTCUSDT'] });
  const third = await completed({ symbol: 'BTCUSDT', interval: '12h', timeframe: '30d' });
  await eventually(async () => {
    const { alerts } = await api.caller(token).alerts.list({ rule_id: marker.rule_id });
    return alerts.some((alert) => alert.analysis_id === third) ? true : undefined;
  });
  expect((await api.caller(token).alerts.list({ rule_id })).alerts.map((alert) => alert.analysis_id)).toEqual([second]);
});

test('a webhook receiver that fails three times then recovers gets the alert, signed', async () => {
  const hook = await receiver(3);
  const token = await api.token('dave');
  const caller = api.caller(token);
  const rule = await caller.alerts.createRule({ name: 'ETH', symbols: ['ETHUSDT'], webhook_url: hook.url });
  expect(rule.webhook_secret).toMatch(/^whsec_/);
  await caller.analysis.queue({ symbol: 'ETHUSDT', interval: '1d', timeframe: '60d' });
  const delivered = await eventually(
    async () => {
      // A fresh caller per poll: each call's context has its own budget of rows.
      const { alerts } = await api.caller(token).alerts.list({ rule_id: rule.rule_id });
      return alerts[0]?.delivery === 'delivered' ? alerts[0] : undefined;
    },
    90_000,
    'the webhook to be delivered',
  );
  expect(delivered.attempts).toBe(4);
  expect(hook.received).toHaveLength(4);
  for (const request of hook.received) {
    const timestamp = String(request.headers['x-candela-timestamp']);
    const signature = String(request.headers['x-candela-signature']);
    expect(verifyWebhook(rule.webhook_secret!, timestamp, request.body, signature)).toBe(true);
    expect(verifyWebhook('whsec_wrong', timestamp, request.body, signature)).toBe(false);
    expect(JSON.parse(request.body)).toMatchObject({ type: 'alert', alert_id: delivered.alert_id, symbol: 'ETHUSDT' });
  }
});

test('a receiver that never recovers leaves the alert undeliverable, visible in alerts.list', async () => {
  await worker.shutdown(1000);
  worker = await startScanWorker(api.redis.url, undefined, { ...WORKER_ENV, ALERT_WEBHOOK_RETRY_FOR: '1' });
  const hook = await receiver(Number.MAX_SAFE_INTEGER);
  const token = await api.token('erin');
  const caller = api.caller(token);
  const rule = await caller.alerts.createRule({ name: 'XRP', symbols: ['XRPUSDT'], webhook_url: hook.url });
  await caller.analysis.queue({ symbol: 'XRPUSDT', interval: '1d', timeframe: '60d' });
  const failed = await eventually(
    async () => {
      const { alerts } = await api.caller(token).alerts.list({ delivery: 'undeliverable' });
      return alerts[0];
    },
    90_000,
    'the alert to be marked undeliverable',
  );
  expect(failed).toMatchObject({ rule_id: rule.rule_id, last_error: expect.stringContaining('HTTP 500') });
  expect(hook.received.length).toBeGreaterThan(1);
});

test('webhook URLs that resolve to private or loopback addresses are refused without the flag', async () => {
  for (const url of [
    'http://127.0.0.1:9/x',
    'http://[::1]/x',
    'http://10.1.2.3/x',
    'http://192.168.1.1/',
    'http://169.254.169.254/latest',
    'http://[::ffff:127.0.0.1]/',
    'http://localhost/',
  ])
    await expect(checkWebhookUrl(url, false)).rejects.toThrow(/private or loopback/);
  await expect(checkWebhookUrl('ftp://example.com/', false)).rejects.toThrow(/http or https/);
  await expect(checkWebhookUrl('http://8.8.8.8/hook', false)).resolves.toBeUndefined();
  await expect(checkWebhookUrl('http://127.0.0.1:9/x', true)).resolves.toBeUndefined();

  const strict = await startInProcessApi();
  try {
    const caller = strict.caller(await strict.token('frank'));
    const refused = await caller.alerts
      .createRule({ name: 'x', webhook_url: 'http://127.0.0.1:9/hook' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCError);
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('webhook_url') });
    expect((await caller.alerts.rules()).rules).toHaveLength(0);
  } finally {
    await strict.stop();
  }
});
