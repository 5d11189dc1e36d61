/**
 * Deploy while busy: a rolling replacement of every worker while jobs are in flight. For each
 * worker a new one starts, then the old one gets SIGTERM: it stops reading, finishes what it
 * holds within ANALYSIS_SHUTDOWN_GRACE (or leaves it pending for a takeover), deregisters and
 * exits 0. No job may be lost or end twice.
 */
import type { CandelaProcess } from '../../support/candelaProcess.js';
import { isTerminal, statusesOf } from '../jobTally.js';
import { type ChaosFigures, runScenario, type ScenarioOptions } from '../chaosScenario.js';
import { pendingForProcess } from '../workerPending.js';

export interface DeployWhileBusySize {
  jobs: number;
  workers: number;
  /** Rounds of replacing every worker. */
  rounds: number;
  deadlineMs: number;
}

export const deployWhileBusyFull: DeployWhileBusySize = { jobs: 1500, workers: 3, rounds: 2, deadlineMs: 8 * 60_000 };
export const deployWhileBusyShort: DeployWhileBusySize = { jobs: 150, workers: 3, rounds: 1, deadlineMs: 240_000 };

export function deployWhileBusy(
  size: DeployWhileBusySize,
  options: Pick<ScenarioOptions, 'print'> = {},
): Promise<ChaosFigures> {
  return runScenario({ name: 'deploy-while-busy', deadlineMs: size.deadlineMs, ...options }, async (chaos) => {
    const { redis, keys } = chaos;
    const ids = await chaos.enqueue(size.jobs);
    const startWorker = async () => {
      const worker = chaos.startWorker({ LOG_LEVEL: 'info' });
      await worker.waitForOutput(/worker started/, 60_000);
      return worker;
    };
    let workers: CandelaProcess[] = await Promise.all(Array.from({ length: size.workers }, startWorker));
    const exitCodes: (number | string)[] = [];
    let inFlightAtSigterm = 0;
    let replaced = 0;
    for (let round = 0; round < size.rounds; round += 1) {
      // Mid-run: each round starts once a further share of the jobs has ended.
      const share = (round + 1) / (size.rounds + 2);
      await chaos.until(
        async () => {
          const ended = (await statusesOf(redis.client, keys, ids)).filter(isTerminal).length;
          return ended >= share * ids.length ? true : undefined;
        },
        `${Math.round(share * 100)} % of the jobs to end before deploy round ${round + 1}`,
      );
      const next: CandelaProcess[] = [];
      for (const old of workers) {
        next.push(await startWorker());
        inFlightAtSigterm += await pendingForProcess(redis.client, keys, old.child.pid);
        old.kill('SIGTERM');
        exitCodes.push(await old.exited);
        replaced += 1;
      }
      workers = next;
    }
    chaos.detail.workers_replaced = replaced;
    chaos.detail.entries_in_flight_at_sigterm = inFlightAtSigterm;
    chaos.detail.exit_codes = [...new Set(exitCodes)];
    if (exitCodes.some((code) => code !== 0)) chaos.broke('worker_exit_code');
    await chaos.allTerminal('every job to end after the deploy');
    const registered = await redis.client.zcard(keys.workerIndex());
    chaos.detail.live_workers_at_end = registered;
  });
}
