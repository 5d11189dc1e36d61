/**
 * What the harness knows of every kill, to judge poison dead letters exactly. After a worker
 * is killed and Redis has dropped its connections (so nothing it sent is still to run), every
 * job whose record names a run of that process, open (`run_owner`) or already in doubt
 * (`doubted_runs`, a run taken over while its owner still ran it), was in flight on the killed
 * worker. A job in flight on at least ANALYSIS_MAX_DELIVERIES killed workers may rightly be
 * dead-lettered as poison; any other poison dead letter means the run ledger miscounted. At the
 * end the letters are read back too: every run a poison job's record holds in doubt must belong
 * to a killed process.
 */
import type { QueueKeys } from '../../storage/keys.js';
import type { RedisClient } from '../../storage/redisConnection.js';

/** Owner tokens are `worker-{host}-{pid}-c{n}:{uuid}`; connection names `candela:worker-{host}-{pid}[:…]`. */
const pidOfToken = (token: string): number | undefined => {
  const match = /-(\d+)-c\d+:[^ ]+$/.exec(token);
  return match ? Number(match[1]) : undefined;
};

async function connectionsOf(redis: RedisClient, pid: number): Promise<number> {
  const list = (await redis.call('CLIENT', 'LIST')) as string;
  const named = new RegExp(`\\bname=candela:worker-\\S*-${pid}(:\\S*)?(\\s|$)`);
  return list.split('\n').filter((line) => named.test(line)).length;
}

export interface PoisonJudgement {
  /** Poison dead letters of jobs in flight on at least the limit of killed workers. */
  expected: string[];
  /** Poison dead letters the kills do not explain: the run ledger counted a run that did not die. */
  unexplained: string[];
  /** Runs held in doubt on poison jobs whose process the harness never killed. */
  doubtedRunsOfLiveProcesses: number;
  /**
   * For a few unexplained letters: runs in doubt on the record, the distinct processes they
   * belong to, and the kills the harness saw holding the job. More runs than processes means the
   * ledger counted one death twice; more processes than kills seen means a snapshot missed a run.
   */
  unexplainedRuns: { id: string; runs: number; processes: number; killsSeen: number }[];
}

export interface KillLedger {
  /** After `pid` exited: waits until Redis dropped its connections, then notes the jobs it held. Returns how many. */
  noteKill(
    pid: number,
    ids: readonly string[],
    until: (check: () => Promise<true | undefined>) => Promise<true>,
  ): Promise<number>;
  /** Jobs by how many killed workers held them: index n counts jobs held by n. */
  histogram(ids: readonly string[]): number[];
  killsHolding(id: string): number;
  judgePoison(ids: readonly string[], limit: number): Promise<PoisonJudgement>;
}

export function createKillLedger(redis: RedisClient, keys: QueueKeys): KillLedger {
  const holding = new Map<string, number>();
  const killed = new Set<number>();
  const killsHolding = (id: string) => holding.get(id) ?? 0;

  /** Per job, the runs its record names (open, or in doubt), for jobs not yet ended. */
  async function runsOf(ids: readonly string[]): Promise<string[][]> {
    const runs: string[][] = [];
    for (let start = 0; start < ids.length; start += 1000) {
      const pipeline = redis.pipeline();
      for (const id of ids.slice(start, start + 1000))
        pipeline.hmget(keys.job(id), 'status', 'run_owner', 'doubted_runs');
      for (const [, fields] of (await pipeline.exec()) ?? []) {
        const [status, open, doubted] = (fields as (string | null)[] | undefined) ?? [];
        // A finished job may keep a doubted run on its record; it was not in flight any more.
        const live = status === 'queued' || status === 'processing';
        runs.push(live ? [...(open ? [open] : []), ...(doubted ? doubted.split(' ') : [])] : []);
      }
    }
    return runs;
  }

  return {
    async noteKill(pid, ids, until) {
      killed.add(pid);
      await until(async () => ((await connectionsOf(redis, pid)) === 0 ? true : undefined));
      let held = 0;
      (await runsOf(ids)).forEach((tokens, index) => {
        if (!tokens.some((token) => pidOfToken(token) === pid)) return;
        const id = ids[index]!;
        holding.set(id, killsHolding(id) + 1);
        held += 1;
      });
      return held;
    },
    histogram(ids) {
      const counts: number[] = [];
      for (const id of ids) {
        const n = killsHolding(id);
        while (counts.length <= n) counts.push(0);
        counts[n]! += 1;
      }
      return counts;
    },
    killsHolding,
    async judgePoison(ids, limit) {
      const judgement: PoisonJudgement = {
        expected: [],
        unexplained: [],
        doubtedRunsOfLiveProcesses: 0,
        unexplainedRuns: [],
      };
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hmget(keys.job(id), 'status', 'error', 'doubted_runs');
      ((await pipeline.exec()) ?? []).forEach(([, fields], index) => {
        const [status, error, doubted] = (fields as (string | null)[] | undefined) ?? [];
        if (status !== 'failed' || !error?.startsWith('poison message')) return;
        const id = ids[index]!;
        const tokens = doubted?.split(' ') ?? [];
        for (const token of tokens) {
          const pid = pidOfToken(token);
          if (pid === undefined || !killed.has(pid)) judgement.doubtedRunsOfLiveProcesses += 1;
        }
        if (killsHolding(id) >= limit) return void judgement.expected.push(id);
        judgement.unexplained.push(id);
        if (judgement.unexplainedRuns.length < 5)
          judgement.unexplainedRuns.push({
            id,
            runs: tokens.length,
            processes: new Set(tokens.map(pidOfToken)).size,
            killsSeen: killsHolding(id),
          });
      });
      return judgement;
    },
  };
}
