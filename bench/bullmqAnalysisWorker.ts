/**
 * One BullMQ worker process whose processor runs the same analysis as a Candela job: candles,
 * patterns, the chart's SVG (stored; its PNG is drawn on first request, as for a job), summary
 * and analysis_data, returned as the job's result (BullMQ stores it in the job's hash). The
 * baseline of bench/pipeline.ts. Starts on `go` from stdin, so process start-up is not timed.
 */
import { once } from 'node:events';
import path from 'node:path';
import { Worker } from 'bullmq';
import { loadConfig } from '../config/env.js';
import { createLogger } from '../config/logger.js';
import { circuitSettingsFromConfig } from '../pipeline/circuitBreaker.js';
import { createBreakerGate } from '../pipeline/llmGate.js';
import { pipelineServicesFromConfig } from '../pipeline/pipelineServicesFromConfig.js';
import { type ImmediateTask, runImmediateAnalysis } from '../router/immediate/immediateAnalysis.js';
import { createFileChartStore } from '../storage/charts/fileChartStore.js';
import { reportCpu } from './workerCpu.js';

const config = loadConfig();
const url = new URL(config.REDIS_URL);
const concurrency = Number(process.env.BENCH_BULLMQ_CONCURRENCY ?? 10);
const services = {
  ...pipelineServicesFromConfig(config),
  charts: createFileChartStore(path.join(config.DATA_DIR, 'charts')),
  llmGate: createBreakerGate(circuitSettingsFromConfig(config), Date.now, () => undefined),
  log: createLogger('bench-bullmq-analysis', 'warn'),
};
process.stdout.write('ready\n');
await once(process.stdin, 'data');
const cpuAtGo = process.cpuUsage();
const worker = new Worker<ImmediateTask>(
  'pipeline',
  (job) => runImmediateAnalysis(job.data, services, new AbortController().signal),
  { connection: { host: url.hostname, port: Number(url.port) }, concurrency },
);
process.once('SIGTERM', () => {
  reportCpu(cpuAtGo);
  void worker.close().then(() => process.exit(0));
});
