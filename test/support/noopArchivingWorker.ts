/**
 * A worker process whose jobs do no analysis, with the archiver when MONGODB_URL is set: the
 * finish, outbox, archive and retention path alone, for the archiver and retention tests and
 * bench/retention. Writes `ready` once it is consuming.
 */
import { spawnNoopJobActor } from '../../actors/noopJobActor.js';
import { loadConfig } from '../../config/env.js';
import { createLogger } from '../../config/logger.js';
import { pipelineServicesFromConfig } from '../../pipeline/pipelineServicesFromConfig.js';
import { openMongoStores } from '../../storage/mongo/mongoStores.js';
import { startWorkerNode } from '../../supervisors/workerNode.js';

const config = loadConfig();
const mongo = config.MONGODB_URL
  ? await openMongoStores(config.MONGODB_URL, {
      historyTtlSeconds: config.ANALYSIS_HISTORY_TTL,
      appName: 'noop-worker',
    })
  : undefined;
const node = await startWorkerNode({
  config,
  services: pipelineServicesFromConfig(config),
  log: createLogger('noop-worker', config.LOG_LEVEL),
  spawnJob: spawnNoopJobActor,
  ...(mongo ? { mongo } : {}),
});
process.stdout.write('ready\n');
process.once('SIGTERM', () => void node.shutdown(1000).then(() => process.exit(0)));
