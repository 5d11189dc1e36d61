/**
 * The shared cache of identical analyses: 20 users queue the same analysis in the same bar;
 * the pipeline runs once (candle loads counted), every job completes with its own id, owner
 * and result, and /metrics reports the hit rate.
 */
import type { CandleSource } from '../../../integrations/marketData/candleSource.js';
import { syntheticCandleSource } from '../../../integrations/marketData/syntheticCandleSource.js';
import type { WorkerNode } from '../../../supervisors/workerNode.js';
import { eventually } from '../../support/candelaProcess.js';
import { type InProcessApi, startInProcessApi } from '../../integration/api/inProcessApi.js';
import { startScanWorker } from './scanWorkers.js';

let api: InProcessApi;
const workers: WorkerNode[] = [];
let loads = 0;
const counting: CandleSource = {
  load(request) {
    loads += 1;
    return syntheticCandleSource.load(request);
  },
};

beforeAll(async () => {
  api = await startInProcessApi();
});
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.shutdown(1000)));
  await api.stop();
});

test('20 users, one analysis of the bar: the pipeline runs once and all 20 complete with their own ids', async () => {
  const users = Array.from({ length: 20 }, (_, index) => `user${index}`);
  const tokens = await Promise.all(users.map((user) => api.token(user)));
  const callers = tokens.map((token) => api.caller(token));
  const request = { symbol: 'SOLUSDT', interval: '4h', timeframe: '30d' } as const;
  const ids = await Promise.all(callers.map(async (caller) => (await caller.analysis.queue(request)).analysis_id));
  expect(new Set(ids).size).toBe(20);
  // Four consumers racing for the same analyses (worker nodes in one process would share consumer names).
  workers.push(
    await startScanWorker(
      api.redis.url,
      undefined,
      { ANALYSIS_WORKER_CONCURRENCY: '4', ANALYSIS_SHARED_CACHE: 'on' },
      counting,
    ),
  );
  const jobs = await Promise.all(
    ids.map((analysis_id, index) =>
      eventually(async () => {
        const job = await api.caller(tokens[index]).analysis.status({ analysis_id });
        return job.status === 'completed' ? job : undefined;
      }, 60_000),
    ),
  );
  expect(loads).toBe(1);
  expect(jobs.map((job) => job.user_id)).toEqual(users);
  expect(jobs.map((job) => job.analysis_id)).toEqual(ids);
  const first = JSON.stringify(jobs[0]!.analysis_data);
  for (const job of jobs) expect(JSON.stringify(job.analysis_data)).toBe(first);

  const url = await api.serve();
  const metrics = await (await fetch(`${url}/metrics`)).text();
  expect(metrics).toMatch(/candela_analysis_cache_lookups\{result="hit"\} 19/);
  expect(metrics).toMatch(/candela_analysis_cache_lookups\{result="miss"\} 1/);
  expect(metrics).toMatch(/candela_analysis_cache_hit_ratio 0\.95/);
});
