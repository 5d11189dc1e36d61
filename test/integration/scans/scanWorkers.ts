/** In-process worker nodes for the scan suites, on the in-process API's redis-server, with job actors chosen per test. */
import pino from 'pino';
import type { JobActorFactory } from '../../../actors/jobActorFactory.js';
import type { JobMessage } from '../../../actors/jobActor.js';
import { spawnActor, stopActor } from '../../../actors/typedActor.js';
import { loadConfig } from '../../../config/env.js';
import { svgToPng } from '../../../integrations/chartRasterizer.js';
import type { CandleSource } from '../../../integrations/marketData/candleSource.js';
import { syntheticCandleSource } from '../../../integrations/marketData/syntheticCandleSource.js';
import { createFileChartStore } from '../../../storage/charts/fileChartStore.js';
import { startWorkerNode, type WorkerNode } from '../../../supervisors/workerNode.js';

export async function startScanWorker(
  redisUrl: string,
  spawnJob?: JobActorFactory,
  env: Record<string, string> = {},
  candles: CandleSource = syntheticCandleSource,
): Promise<WorkerNode> {
  const config = loadConfig({
    REDIS_URL: redisUrl,
    ANALYSIS_WORKER_CONCURRENCY: '2',
    ANALYSIS_WORKER_BATCH_SIZE: '5',
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startWorkerNode({
    config,
    services: {
      candles,
      charts: createFileChartStore(`/tmp/candela-scan-charts-${process.pid}`),
      rasterize: svgToPng,
      llm: undefined,
    },
    log: pino({ level: 'silent' }),
    ...(spawnJob ? { spawnJob } : {}),
    blockMs: 100,
    onEscalate: (error) => {
      throw error;
    },
  });
}

/** Runs until aborted; a cancel ends it `cancelled`, anything else leaves it to its new owner. */
export const untilAborted: JobActorFactory = (parent, options) =>
  spawnActor<null, JobMessage>(parent, {
    name: options.record.analysis_id.toLowerCase(),
    initialState: null,
    receive(state, message, self) {
      if (message.type === 'job.abort') {
        options.onOutcome(
          message.reason === 'cancelled'
            ? { status: 'cancelled', reason: 'cancelled by the user' }
            : { status: 'abandoned', reason: message.reason },
        );
        stopActor(self);
      }
      return state;
    },
  });
