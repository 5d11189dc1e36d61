/** Every chaos scenario by name, each at full size (npm run chaos) and short (the jest suite in make test). */
import type { ChaosFigures, ScenarioOptions } from './chaosScenario.js';
import { deployWhileBusy, deployWhileBusyFull, deployWhileBusyShort } from './scenarios/deployWhileBusy.js';
import { loadClients, loadClientsFull, loadClientsShort } from './scenarios/loadClients.js';
import { partitionedWorker, partitionedWorkerFull, partitionedWorkerShort } from './scenarios/partitionedWorker.js';
import { redisRestarts, redisRestartsFull, redisRestartsShort } from './scenarios/redisRestarts.js';
import { workerCrashes, workerCrashesFull, workerCrashesShort } from './scenarios/workerCrashes.js';

export type ScenarioSize = 'full' | 'short';
type Run = (size: ScenarioSize, options?: Pick<ScenarioOptions, 'print'>) => Promise<ChaosFigures>;

const sized =
  <S>(run: (size: S, options?: Pick<ScenarioOptions, 'print'>) => Promise<ChaosFigures>, full: S, short: S): Run =>
  (size, options) =>
    run(size === 'full' ? full : short, options);

export const CHAOS_SCENARIOS: Record<string, Run> = {
  'worker-crashes': sized(workerCrashes, workerCrashesFull, workerCrashesShort),
  'redis-restarts': sized(redisRestarts, redisRestartsFull, redisRestartsShort),
  'partitioned-worker': sized(partitionedWorker, partitionedWorkerFull, partitionedWorkerShort),
  'deploy-while-busy': sized(deployWhileBusy, deployWhileBusyFull, deployWhileBusyShort),
  load: sized(loadClients, loadClientsFull, loadClientsShort),
};
