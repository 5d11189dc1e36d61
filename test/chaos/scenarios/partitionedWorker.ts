/**
 * A partitioned worker: one worker reaches Redis through a TCP proxy the scenario controls.
 * While it holds jobs the link is blackholed (bytes held, connections kept) for longer than
 * the claim timeout; a healthy worker takes its jobs over and completes them. When the link
 * returns, the partitioned worker's held writes (claim refreshes, progress, the finish of
 * jobs it went on running) reach Redis late and must be refused by the owner fence: every job
 * keeps exactly one terminal status. Then the partitioned worker must work again.
 */
import { startTcpProxy } from '../../support/tcpProxy.js';
import { hostname } from 'node:os';
import { workerIdFor } from '../../../supervisors/workerNode.js';
import { type ChaosContext, type ChaosFigures, runScenario, type ScenarioOptions } from '../chaosScenario.js';
import { pendingForProcess } from '../workerPending.js';

export interface PartitionedWorkerSize {
  jobs: number;
  /** Jobs queued after the heal, which only the formerly partitioned worker is left to run. */
  jobsAfterHeal: number;
  claimTimeoutSeconds: number;
  deadlineMs: number;
}

export const partitionedWorkerFull: PartitionedWorkerSize = {
  jobs: 600,
  jobsAfterHeal: 100,
  claimTimeoutSeconds: 3,
  deadlineMs: 6 * 60_000,
};
export const partitionedWorkerShort: PartitionedWorkerSize = {
  jobs: 80,
  jobsAfterHeal: 10,
  claimTimeoutSeconds: 2,
  deadlineMs: 240_000,
};

export function partitionedWorker(
  size: PartitionedWorkerSize,
  options: Pick<ScenarioOptions, 'print'> = {},
): Promise<ChaosFigures> {
  return runScenario({ name: 'partitioned-worker', deadlineMs: size.deadlineMs, ...options }, async (chaos) => {
    const { redis, keys } = chaos;
    const proxy = await startTcpProxy({ port: redis.port });
    try {
      const timing = { ANALYSIS_CLAIM_TIMEOUT: String(size.claimTimeoutSeconds) };
      await chaos.enqueue(size.jobs);
      const isolated = chaos.startWorker({ ...timing, REDIS_URL: proxy.url(), LOG_LEVEL: 'warn' });
      const pid = isolated.child.pid;
      await chaos.until(
        async () => ((await jobsOwnedBy(chaos, pid)).length > 0 ? true : undefined),
        'the worker behind the proxy to run jobs',
        20,
      );
      proxy.cut('blackhole');
      const cutAt = Date.now();
      // Read after the cut: nothing the isolated worker sends now reaches Redis.
      const heldIds = await jobsOwnedBy(chaos, pid);
      chaos.detail.entries_held_at_cut = await pendingForProcess(redis.client, keys, pid);
      chaos.detail.jobs_running_at_cut = heldIds.length;
      if (heldIds.length === 0) chaos.broke('nothing_held_at_cut');

      const healthy = chaos.startWorker(timing);
      await chaos.allTerminal("the healthy worker to end every job, the partitioned one's included");
      // Longer than the claim timeout in any case, so every claim of the isolated worker has expired.
      await chaos.pause(Math.max(0, size.claimTimeoutSeconds * 2000 - (Date.now() - cutAt)));
      const takenOver = await Promise.all(heldIds.map((id) => redis.client.hget(keys.job(id), 'takeovers')));
      chaos.detail.partition_seconds = Math.round((Date.now() - cutAt) / 100) / 10;
      chaos.detail.held_jobs_taken_over = takenOver.filter((count) => Number(count) > 0).length;
      if (heldIds.length > 0 && takenOver.every((count) => Number(count) === 0))
        chaos.broke('held_jobs_not_taken_over');

      proxy.heal();
      const healedAt = Date.now();
      // The isolated worker's next heartbeat travels on the connection its held finishes used:
      // once Redis has it, everything sent before it has been answered too.
      await chaos.until(async () => {
        const score = await redis.client.zscore(keys.workerIndex(), workerIdFor(hostname(), pid ?? 0));
        return score !== null && Number(score) > healedAt ? true : undefined;
      }, 'the partitioned worker to reach Redis again');
      chaos.detail.late_results_discarded = (isolated.output().match(/result was discarded/g) ?? []).length;

      // Only the formerly isolated worker is left: it must run new jobs again.
      healthy.kill('SIGTERM');
      await healthy.exited;
      await chaos.enqueue(size.jobsAfterHeal);
      await chaos.allTerminal('the formerly partitioned worker to run the jobs queued after the heal');
      if (isolated.child.exitCode !== null) chaos.broke('partitioned_worker_exited');
    } finally {
      await proxy.close();
    }
  });
}

/** Jobs `processing` under an owner token of the worker process with this pid. */
async function jobsOwnedBy(chaos: ChaosContext, pid: number | undefined): Promise<string[]> {
  const ids = chaos.ids();
  const pipeline = chaos.redis.client.pipeline();
  for (const id of ids) pipeline.hmget(chaos.keys.job(id), 'status', 'owner');
  const replies = (await pipeline.exec()) ?? [];
  return ids.filter((_, index) => {
    const [status, owner] = (replies[index]?.[1] as (string | null)[] | undefined) ?? [];
    return status === 'processing' && (owner ?? '').includes(`-${pid}-c`);
  });
}
