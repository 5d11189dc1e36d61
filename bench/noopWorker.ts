/**
 * One Candela worker process whose job actors do no analysis: the queue, claim, actor and
 * finish path alone. It starts when the benchmark writes `go` to its stdin, so that process
 * start-up is not timed (bench/bullmqWorker.ts does the same).
 */
import { once } from 'node:events';
import { spawnNoopJobActor } from '../actors/noopJobActor.js';
import { loadConfig } from '../config/env.js';
import { createLogger } from '../config/logger.js';
import { pipelineServicesFromConfig } from '../pipeline/pipelineServicesFromConfig.js';
import { startWorkerNode } from '../supervisors/workerNode.js';
import { reportCpu } from './workerCpu.js';

const config = loadConfig();
process.stdout.write('ready\n');
await once(process.stdin, 'data');
const cpuAtGo = process.cpuUsage();
const node = await startWorkerNode({
  config,
  services: pipelineServicesFromConfig(config),
  log: createLogger('bench-worker', 'warn'),
  spawnJob: spawnNoopJobActor,
});
process.once('SIGTERM', () => {
  reportCpu(cpuAtGo);
  void node.shutdown(1000).then(() => process.exit(0));
});
