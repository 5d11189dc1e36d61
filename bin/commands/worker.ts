/** `candela worker`: one worker process with ANALYSIS_WORKER_CONCURRENCY consumer actors. */
import type { Config } from '../../config/env.js';
import { createLogger } from '../../config/logger.js';
import { workerTimings } from '../../config/workerTimings.js';
import { pipelineServicesFromConfig } from '../../pipeline/pipelineServicesFromConfig.js';
import { startWorkerNode } from '../../supervisors/workerNode.js';
import { stopOnSignals } from '../processLifecycle.js';

export async function runWorker(config: Config): Promise<void> {
  const log = createLogger('candela-worker', config.LOG_LEVEL);
  const node = await startWorkerNode({ config, services: pipelineServicesFromConfig(config), log });
  stopOnSignals(log, () => node.shutdown(workerTimings(config).shutdownGraceMs));
}
