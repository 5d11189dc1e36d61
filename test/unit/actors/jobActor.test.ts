/**
 * The job actor and its children, in process: candles from an in-memory source, charts to an
 * in-memory store, no LLM. Stage order, the result, failure classes, cancel and timeout.
 */
import { svgToPng } from '../../../integrations/chartRasterizer.js';
import { waitFor } from '../../support/waitFor.js';
import type { CandleSeries } from '../../../analysis/candles.js';
import pino from 'pino';
import { swallowedErrors, useActorLogger } from '../../../actors/actorDiagnostics.js';
import { openGate } from '../../../actors/dependencyGate.js';
import { spawnJobActor } from '../../../actors/jobActor.js';
import type { JobOutcome } from '../../../actors/jobOutcome.js';
import { send, startActorSystem } from '../../../actors/typedActor.js';
import type { ChartStore, RenderedChart } from '../../../storage/charts/chartStore.js';
import { PermanentFailure, RetryableFailure } from '../../../storage/failures.js';
import type { JobRecord } from '../../../storage/jobRecord.js';
import type { CandleRequest, CandleSource } from '../../../integrations/marketData/candleSource.js';
import { syntheticCandleSource } from '../../../integrations/marketData/syntheticCandleSource.js';
import { manualClock } from '../../support/manualClock.js';

const record: JobRecord = {
  analysis_id: 'analysis_01JOBACTORTEST0000000000AA',
  user_id: 'alice',
  symbol: 'BTCUSDT',
  interval: '1h',
  timeframe: '2d',
  status: 'processing',
  created_at: '',
  updated_at: '',
  attempts: 0,
  error: null,
  image_url: null,
  llm_summary: null,
  summary_source: null,
  analysis_data: null,
};

function memoryCharts(): ChartStore & { saved: Map<string, RenderedChart> } {
  const saved = new Map<string, RenderedChart>();
  return {
    saved,
    save: async (id, chart) => (saved.set(id, chart), `memory:${id}`),
    addPng: async () => false,
    read: async () => undefined,
  };
}

function run(
  candles: CandleSource,
  options: { timeoutMs?: number; clock?: ReturnType<typeof manualClock>; reportProgress?: () => Promise<boolean> } = {},
) {
  const system = startActorSystem(`job-${Math.random().toString(36).slice(2)}`);
  const stages: { stage: string; progress: number }[] = [];
  const charts = memoryCharts();
  let resolveOutcome: (outcome: JobOutcome) => void = () => undefined;
  const outcome = new Promise<JobOutcome>((resolve) => (resolveOutcome = resolve));
  const job = spawnJobActor(system.root, {
    record,
    services: { candles, charts, rasterize: svgToPng, llm: undefined, dependencies: openGate },
    reportProgress: options.reportProgress ?? (async (stage, progress) => (stages.push({ stage, progress }), true)),
    onOutcome: resolveOutcome,
    timeoutMs: options.timeoutMs ?? 60_000,
    clock: options.clock ?? manualClock(),
  });
  send(job, { type: 'job.start' });
  return { job, outcome: outcome.finally(() => system.shutdown()), stages, charts };
}

test('loads candles, runs the children and completes with the result; progress only goes forward', async () => {
  const { outcome, stages, charts } = run(syntheticCandleSource);
  const result = await outcome;
  expect(result).toMatchObject({
    status: 'completed',
    result: { image_url: `/charts/${record.analysis_id}.png`, summary_source: 'rule-based' },
  });
  if (result.status !== 'completed') throw new Error('not completed');
  expect(result.result.llm_summary).toMatch(/SYNTHETIC DATA/);
  expect(result.result.analysis_data).toMatchObject({ symbol: 'BTCUSDT', data_source: 'synthetic' });
  expect(stages.slice(0, 2).map((stage) => stage.stage)).toEqual(['candles', 'patterns']);
  expect(
    stages
      .map((stage) => stage.stage)
      .slice(2)
      .sort(),
  ).toEqual(['chart', 'summary']);
  const fractions = stages.map((stage) => stage.progress);
  expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
  expect(charts.saved.get(record.analysis_id)?.svg).toContain('<svg');
});

test('a permanent failure of the candle source is not retryable; a transient one is', async () => {
  const failing = (error: Error): CandleSource => ({ load: async () => Promise.reject(error) });
  expect(await run(failing(new PermanentFailure('Binance does not know the symbol BTCUSDT'))).outcome).toEqual({
    status: 'failed',
    error: 'candles: Binance does not know the symbol BTCUSDT',
    retryable: false,
  });
  expect(await run(failing(new RetryableFailure('HTTP 503', 2000))).outcome).toMatchObject({
    status: 'failed',
    retryable: true,
    retryAfterMs: 2000,
  });
});

/** A source that never answers until its signal aborts. */
function hangingSource(): CandleSource & { request?: CandleRequest } {
  const source: CandleSource & { request?: CandleRequest } = {
    load: (request) => {
      source.request = request;
      return new Promise<CandleSeries>((_resolve, reject) =>
        request.signal.addEventListener('abort', () => reject(request.signal.reason as Error)),
      );
    },
  };
  return source;
}

test('a cancel ends the job cancelled and aborts the I/O it was waiting on', async () => {
  const source = hangingSource();
  const { job, outcome } = run(source);
  await waitFor(() => source.request !== undefined);
  send(job, { type: 'job.abort', reason: 'cancelled' });
  expect(await outcome).toEqual({ status: 'cancelled', reason: 'cancelled by the user' });
  expect(source.request?.signal.aborted).toBe(true);
});

test('ANALYSIS_JOB_TIMEOUT, on the injected clock, aborts the job as a retryable failure', async () => {
  const clock = manualClock();
  const source = hangingSource();
  const { outcome } = run(source, { timeoutMs: 5000, clock });
  await waitFor(() => source.request !== undefined);
  clock.advance(4999); // the manual clock fires due timers synchronously: none is due yet
  expect(source.request?.signal.aborted).toBe(false);
  clock.advance(1);
  expect(await outcome).toMatchObject({
    status: 'failed',
    retryable: true,
    error: expect.stringMatching(/timed out after 5 s/),
  });
  expect(source.request?.signal.aborted).toBe(true);
});

test('a progress event that cannot be written does not fail the job; it is logged with the job id and counted', async () => {
  const lines: { analysisId?: string; kind?: string }[] = [];
  useActorLogger(
    pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line) as { analysisId?: string }) }),
  );
  const failedWrites = async () =>
    (await swallowedErrors.get()).values.find((value) => value.labels.kind === 'progress-write-failed')?.value ?? 0;
  const before = await failedWrites();
  const { outcome } = run(syntheticCandleSource, {
    reportProgress: () => Promise.reject(new Error('Connection is closed')),
  });
  expect(await outcome).toMatchObject({ status: 'completed' });
  await waitFor(() => lines.length >= 4);
  expect(await failedWrites()).toBe(before + 4);
  expect(lines[0]).toMatchObject({ analysisId: record.analysis_id, kind: 'progress-write-failed' });
});
