/** `candela worker`: one worker process with ANALYSIS_WORKER_CONCURRENCY consumer actors. */
import { availableParallelism } from 'node:os';
import type { Config } from '../../config/env.js';
import { createLogger } from '../../config/logger.js';
import { workerTimings } from '../../config/workerTimings.js';
import { pipelineServicesFromConfig } from '../../pipeline/pipelineServicesFromConfig.js';
import { createStageThreads } from '../../pipeline/stageThreads.js';
import { inlineSmallStages } from '../../pipeline/inlineSmallStages.js';
import { openMongoStores } from '../../storage/mongo/mongoStores.js';
import { startWorkerNode } from '../../supervisors/workerNode.js';
import { stopOnSignals } from '../processLifecycle.js';

/** Stage threads per worker: one per core, at most 4 (more only compete for the same cores). */
const STAGE_THREADS_MAX = 4;

export async function runWorker(config: Config): Promise<void> {
  const log = createLogger('candela-worker', config.LOG_LEVEL);
  const mongo = config.MONGODB_URL
    ? await openMongoStores(config.MONGODB_URL, {
        historyTtlSeconds: config.ANALYSIS_HISTORY_TTL,
        appName: 'candela-worker',
      })
    : undefined;
  const stageThreads = inlineSmallStages(createStageThreads(Math.min(STAGE_THREADS_MAX, availableParallelism())));
  const services = { ...pipelineServicesFromConfig(config), stageThreads };
  const node = await startWorkerNode({
    config,
    services: mongo ? { ...services, charts: mongo.charts } : services,
    log,
    ...(mongo ? { mongo } : {}),
  });
  stopOnSignals(log, async () => {
    await node.shutdown(workerTimings(config).shutdownGraceMs);
    await stageThreads.close();
  });
}
