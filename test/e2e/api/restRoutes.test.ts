/** The original REST API over raw HTTP (fetch): status codes, headers and body shapes, against real api + worker processes. */
import { Redis } from 'ioredis';
import { createKeys } from '../../../storage/keys.js';
import { eventually } from '../../support/candelaProcess.js';
import { type ApiCluster, bearer, readSse, startApiCluster } from './apiCluster.js';

const keys = createKeys();
let cluster: ApiCluster;
let api: string;
let alice: Record<string, string>;

beforeAll(async () => {
  cluster = await startApiCluster();
  api = cluster.apis[0]!;
  alice = bearer(await cluster.token('alice'));
});
afterAll(() => cluster.stop());

const post = (path: string, body: unknown, headers = alice) =>
  fetch(`${api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('with no worker running (jobs stay queued)', () => {
  test('POST /analyze/{symbol}/{interval} queues and answers the original shape', async () => {
    const response = await post('/analyze/BTCUSDT/1h', { user_id: 'alice', timeframe: '7d' });
    expect(response.status).toBe(202);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['analysis_id', 'check_status_url', 'message', 'status']);
    expect(body).toMatchObject({ status: 'queued', check_status_url: `/analysis/status/${body.analysis_id}` });
    expect(body.analysis_id).toMatch(/^analysis_[0-9A-Z]{26}$/);

    const status = await fetch(`${api}/analysis/status/${body.analysis_id}?user_id=alice`, { headers: alice });
    expect(status.status).toBe(200);
    const job = (await status.json()) as Record<string, unknown>;
    expect(job).toMatchObject({
      analysis_id: body.analysis_id,
      status: 'queued',
      image_url: null,
      llm_summary: null,
      analysis_data: null,
    });
    for (const field of ['created_at', 'updated_at'])
      expect(new Date(job[field] as string).toISOString()).toBe(job[field]);
    // A superset of the original shape: the whole record, as analysis.status answers it.
    expect(job).toMatchObject({
      user_id: 'alice',
      symbol: 'BTCUSDT',
      interval: '1h',
      timeframe: '7d',
      attempts: 0,
      summary_source: null,
      error: null,
    });
  });

  test('the same Idempotency-Key queues once', async () => {
    const headers = { ...alice, 'idempotency-key': 'order-7' };
    const first = (await (await post('/analyze/ETHUSDT/4h', { timeframe: '30d' }, headers)).json()) as {
      analysis_id: string;
    };
    const length = await cluster.redis.client.xlen(keys.stream);
    const second = (await (await post('/analyze/ETHUSDT/4h', { timeframe: '30d' }, headers)).json()) as {
      analysis_id: string;
    };
    expect(second.analysis_id).toBe(first.analysis_id);
    expect(await cluster.redis.client.xlen(keys.stream)).toBe(length);
  });

  test('DELETE /analysis/cancel/{id}: a queued job is cancelled at once, with its terminal event; a second cancel is 409', async () => {
    const { analysis_id: id } = (await (await post('/analyze/BTCUSDT/1d', { timeframe: '1y' })).json()) as {
      analysis_id: string;
    };
    const cancel = await fetch(`${api}/analysis/cancel/${id}?user_id=alice`, { method: 'DELETE', headers: alice });
    expect(cancel.status).toBe(200);
    expect(await cancel.json()).toEqual({ analysis_id: id, status: 'cancelled', message: expect.any(String) });
    expect(await cluster.redis.client.hget(keys.job(id), 'status')).toBe('cancelled');
    const events = await cluster.redis.client.xrange(keys.progress(id), '-', '+');
    expect(JSON.parse(events.at(-1)![1][1]!)).toMatchObject({ status: 'cancelled', progress: 1 });

    const again = await fetch(`${api}/analysis/cancel/${id}`, { method: 'DELETE', headers: alice });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { message: string }).message).toMatch(/already cancelled/);
  });

  test('cancelling a processing job sets cancel_requested and publishes on the cancel channel (202)', async () => {
    const { analysis_id: id } = (await (await post('/analyze/BTCUSDT/1d', { timeframe: '1y' })).json()) as {
      analysis_id: string;
    };
    await cluster.redis.client.hset(keys.job(id), 'status', 'processing'); // as a worker's claim would
    const listener = new Redis(cluster.redis.url);
    try {
      const heard = new Promise<string>((resolve) =>
        listener.on('message', (_channel: string, message: string) => resolve(message)),
      );
      await listener.subscribe(keys.cancelChannel());
      const cancel = await fetch(`${api}/analysis/cancel/${id}`, { method: 'DELETE', headers: alice });
      expect(cancel.status).toBe(202);
      expect(await cancel.json()).toEqual({ analysis_id: id, status: 'processing', message: 'cancellation requested' });
      expect(JSON.parse(await heard)).toEqual({ analysis_id: id });
      expect(await cluster.redis.client.hget(keys.job(id), 'cancel_requested')).toBe('1');
      expect(await cluster.redis.client.hget(keys.job(id), 'status')).toBe('processing');
    } finally {
      listener.disconnect();
    }
  });

  test('GET /analysis/queue/stats answers the original shape, plus waiting_jobs', async () => {
    const response = await fetch(`${api}/analysis/queue/stats`, { headers: alice });
    expect(response.status).toBe(200);
    const stats = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(stats).sort()).toEqual([
      'active_consumers',
      'pending_jobs',
      'stream_name',
      'timestamp',
      'total_jobs_in_stream',
      'waiting_jobs',
    ]);
    expect(stats).toMatchObject({ stream_name: 'market-analysis-jobs', active_consumers: 0, pending_jobs: 0 });
    // No worker has read anything: every queued job is still waiting.
    expect(stats.waiting_jobs).toBeGreaterThanOrEqual(3);
    expect(stats.total_jobs_in_stream).toBeGreaterThanOrEqual(3);
  });

  test('unknown paths are 404 and wrong methods 405, both JSON', async () => {
    expect((await fetch(`${api}/nope`)).status).toBe(404);
    const wrong = await fetch(`${api}/analysis/queue/stats`, { method: 'POST', headers: alice });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('content-type')).toMatch(/^application\/json/);
  });
});

describe('with a worker', () => {
  beforeAll(() => cluster.startWorker());

  test('GET /analyze-stream streams queued (with analysis_id), processing, then completed (with data)', async () => {
    const response = await fetch(`${api}/analyze-stream/SOLUSDT/1h?user_id=alice&timeframe=7d`, { headers: alice });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await readSse(response);
    const statuses = events.map((event) => event.status);
    expect(statuses[0]).toBe('queued');
    expect(events[0]!.analysis_id).toMatch(/^analysis_/);
    expect(statuses).toContain('processing');
    expect(statuses.at(-1)).toBe('completed');
    expect(events.map((event) => event.stage)).toEqual(
      expect.arrayContaining(['candles', 'patterns', 'chart', 'summary', 'finished']),
    );
    expect(new Set(events.map((event) => event.analysis_id)).size).toBe(1);
    const final = events.at(-1)!.data as Record<string, unknown>;
    expect(final).toMatchObject({
      llm_summary: expect.any(String),
      analysis_data: expect.objectContaining({ symbol: 'SOLUSDT', synthetic: true }),
    });
    expect(final.image_url).toMatch(/^\/charts\/analysis_[0-9A-Z]{26}\.png\?expires=\d+&signature=/);
  });

  test('a completed job: status has a signed image_url that loads without a header; anything else is 404; cancel is 409', async () => {
    const { analysis_id: id } = (await (
      await post('/analyze/BTCUSDT/1h', { user_id: 'alice', timeframe: '7d' })
    ).json()) as { analysis_id: string };
    const job = await eventually(
      async () => {
        const body = (await (await fetch(`${api}/analysis/status/${id}`, { headers: alice })).json()) as Record<
          string,
          unknown
        >;
        return body.status === 'completed' ? body : undefined;
      },
      30_000,
      'completion',
    );
    expect(job).toMatchObject({
      llm_summary: expect.any(String),
      analysis_data: expect.objectContaining({ symbol: 'BTCUSDT' }),
    });
    const imageUrl = job.image_url as string;
    const png = await fetch(`${api}${imageUrl}`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await png.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    const svg = await fetch(`${api}${imageUrl.replace('.png?', '.svg?')}`);
    expect(svg.status).toBe(404); // the signature covers the format too

    const tampered = imageUrl.replace(/signature=.{4}/, 'signature=AAAA');
    expect((await fetch(`${api}${tampered}`)).status).toBe(404);
    expect((await fetch(`${api}/charts/${id}.png`)).status).toBe(404);
    expect((await fetch(`${api}${imageUrl.replace(/expires=\d+/, 'expires=1')}`)).status).toBe(404);

    const cancel = await fetch(`${api}/analysis/cancel/${id}`, { method: 'DELETE', headers: alice });
    expect(cancel.status).toBe(409);
    expect(((await cancel.json()) as { message: string }).message).toMatch(/already completed/);
  });

  test('POST /analyze-immediate returns the analysis itself', async () => {
    const response = await post('/analyze-immediate/BTCUSDT/1h', { user_id: 'alice', timeframe: '30d' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 'completed',
      symbol: 'BTCUSDT',
      interval: '1h',
      timeframe: '30d',
      summary_source: 'rule-based',
      llm_summary: expect.any(String),
    });
    expect(body.analysis_data).toMatchObject({ candle_count: 720, synthetic: true });
    expect((await fetch(`${api}${body.image_url as string}`)).status).toBe(200);
  });

  test('POST /analyze-immediate refuses more than BACKGROUND_ANALYSIS_THRESHOLD candles and points to the queued route', async () => {
    const response = await post('/analyze-immediate/BTCUSDT/1m', { timeframe: '7d' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string };
    expect(body.message).toMatch(/^timeframe: .*10080 candles.*POST \/analyze\/BTCUSDT\/1m/);
  });

  test('/health, /ready and /metrics', async () => {
    expect(await (await fetch(`${api}/health`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${api}/ready`)).json()).toEqual({ status: 'ready', dependencies: { redis: 'ok' } });
    const metrics = await (await fetch(`${api}/metrics`)).text();
    expect(metrics).toMatch(/candela_queue_jobs\{state="total"\} \d+/);
    expect(metrics).toMatch(
      /candela_http_requests_total\{method="POST",route="\/analyze\/\{symbol\}\/\{interval\}",status="202"\} \d+/,
    );
    expect(metrics).toMatch(/candela_http_request_duration_seconds_bucket/);
    expect(metrics).toMatch(/^# TYPE candela_corrupt_job_records_total counter$/m);
  });
});
