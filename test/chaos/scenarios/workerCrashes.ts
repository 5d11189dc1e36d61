/**
 * Worker crashes: jobs flow through three worker processes while one of them, the oldest,
 * is killed with SIGKILL every `killEveryMs` and replaced (oldest first, so every process
 * lives as long as the others: a random choice can kill a process before it has started).
 * Its claimed and unclaimed entries wait out the claim timeout and are taken over; none may
 * be lost or end twice. The harness notes which jobs each killed worker held (killLedger): a
 * poison dead letter is expected only for a job held by as many killed workers as the limit.
 * A kill also waits until some job has ended since the previous one: on a machine too slow to
 * finish a job within a worker's life, killing on the clock only kills the same few orphans
 * over and over (each then rightly poison) while nothing completes.
 */
import { DEFAULT_MAX_DELIVERIES } from '../../../storage/consumerQueue.js';
import type { CandelaProcess } from '../../support/candelaProcess.js';
import { type ChaosFigures, runScenario, type ScenarioOptions } from '../chaosScenario.js';
import { isTerminal, statusesOf } from '../jobTally.js';
import { createKillLedger } from '../killLedger.js';
import { pendingForProcess } from '../workerPending.js';

export interface WorkerCrashesSize {
  jobs: number;
  workers: number;
  killEveryMs: number;
  /** Kills stop after this many (the short run), so that progress does not depend on machine speed. */
  maxKills: number;
  deadlineMs: number;
}

export const workerCrashesFull: WorkerCrashesSize = {
  jobs: 2000,
  workers: 3,
  killEveryMs: 2000,
  maxKills: Number.POSITIVE_INFINITY,
  deadlineMs: 10 * 60_000,
};
export const workerCrashesShort: WorkerCrashesSize = {
  jobs: 120,
  workers: 3,
  killEveryMs: 2000,
  maxKills: 4,
  deadlineMs: 240_000,
};

export function workerCrashes(
  size: WorkerCrashesSize,
  options: Pick<ScenarioOptions, 'print'> = {},
): Promise<ChaosFigures> {
  return runScenario({ name: 'worker-crashes', deadlineMs: size.deadlineMs, ...options }, async (chaos) => {
    await chaos.enqueue(size.jobs);
    const workers: CandelaProcess[] = Array.from({ length: size.workers }, () => chaos.startWorker());
    const ledger = createKillLedger(chaos.redis.client, chaos.keys);
    let kills = 0;
    let heldAtKill = 0;
    let runsAtKill = 0;
    let endedAtLastKill = 0;
    let waitedForProgressMs = 0;
    const endedSoFar = async () =>
      (await statusesOf(chaos.redis.client, chaos.keys, chaos.ids())).filter(isTerminal).length;
    const everyJobEnded = chaos.allTerminal('every job to end while workers are killed');
    let ended = false;
    void everyJobEnded.then(
      () => (ended = true),
      () => (ended = true),
    );
    try {
      while (!ended && !chaos.signal.aborted && kills < size.maxKills) {
        await chaos.pause(size.killEveryMs);
        if (ended || chaos.signal.aborted) break;
        const waitFrom = Date.now();
        const endedNow = await chaos.until(async () => {
          const count = await endedSoFar();
          return count > endedAtLastKill || ended ? count : undefined;
        }, 'a job to end since the previous kill');
        waitedForProgressMs += Date.now() - waitFrom;
        endedAtLastKill = endedNow;
        const victim = workers.shift()!;
        const pid = victim.child.pid;
        // A kill only tests something while the victim holds entries: a process still starting
        // (seconds on a loaded machine) is given the time to take some.
        const held = await chaos.until(
          async () => {
            const pending = await pendingForProcess(chaos.redis.client, chaos.keys, pid);
            return pending > 0 || ended ? pending : undefined;
          },
          'the next victim to hold jobs',
          50,
        );
        victim.kill('SIGKILL');
        await victim.exited;
        kills += 1;
        heldAtKill += held;
        workers.push(chaos.startWorker());
        runsAtKill += await ledger.noteKill(pid!, chaos.ids(), (check) =>
          chaos.until(check, "Redis to drop the killed worker's connections", 50),
        );
      }
      await everyJobEnded;
    } finally {
      Object.assign(chaos.detail, {
        worker_kills: kills,
        entries_pending_on_killed_workers: heldAtKill,
        runs_held_by_killed_workers: runsAtKill,
        kills_waited_for_progress_s: Math.round(waitedForProgressMs / 100) / 10,
        // Jobs by the number of killed workers that held them: [held by none, by one, by two, ...].
        jobs_by_kills_held: ledger.histogram(chaos.ids()),
        poison_limit: DEFAULT_MAX_DELIVERIES,
      });
      // Judged at the deadline too, so an abandoned run still tells its poison letters apart.
      const judgement = await ledger.judgePoison(chaos.ids(), DEFAULT_MAX_DELIVERIES);
      chaos.expectPoison(judgement.expected);
      chaos.detail.poison_unexplained = judgement.unexplained.length;
      chaos.detail.doubted_runs_of_live_processes = judgement.doubtedRunsOfLiveProcesses;
      if (judgement.unexplained.length > 0) chaos.detail.poison_unexplained_examples = judgement.unexplainedRuns;
      if (judgement.doubtedRunsOfLiveProcesses > 0) chaos.broke('poison_counted_a_live_run');
    }
  });
}
