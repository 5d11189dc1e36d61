/**
 * What became of every job a chaos scenario queued, read back from Redis: the record's status
 * and takeover count, and the job's progress log. Terminal events count completions (one per
 * job is the invariant); claims count executions, from what the workers' claim script wrote:
 * a `started` event for every claim of a queued job and a `takeovers` increment for every
 * claim of an orphaned running one.
 */
import type { QueueKeys } from '../../storage/keys.js';
import type { RedisClient } from '../../storage/redisConnection.js';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

export interface JobTally {
  queued: number;
  completed: number;
  /** Failed jobs the scenario meant to fail (a symbol with no market data). */
  failed_expected: number;
  /** Poison dead letters the scenario explained (jobs in flight on as many killed workers as the limit). */
  poison_expected: number;
  /** Anything else that ended failed: a poison dead letter of a healthy job, for one. */
  failed_unexpected: number;
  /** Queued (acknowledged to the client) but not terminal, or gone. */
  lost: number;
  /** Jobs with more than one terminal event. */
  completed_twice: number;
  /** Claims beyond the first, summed over jobs: re-executions after a crash, a takeover or a drain. */
  duplicate_executions: number;
  /** A few ids of each kind of trouble, to start an investigation from. */
  examples: Record<string, string[]>;
  /** Errors of the unexpected failures, counted by text. */
  unexpected_errors: Record<string, number>;
}

interface Inspected {
  status: string | null;
  error: string | null;
  takeovers: number;
  terminalEvents: number;
  startedEvents: number;
}

async function inspect(redis: RedisClient, keys: QueueKeys, ids: readonly string[]): Promise<Inspected[]> {
  const pipeline = redis.pipeline();
  for (const id of ids) {
    pipeline.hmget(keys.job(id), 'status', 'error', 'takeovers');
    pipeline.xrange(keys.progress(id), '-', '+');
  }
  const replies = (await pipeline.exec()) ?? [];
  return ids.map((_, index) => {
    const [, fields] = replies[2 * index] ?? [];
    const [, events] = replies[2 * index + 1] ?? [];
    const [status, error, takeovers] = (fields as (string | null)[] | undefined) ?? [null, null, null];
    let terminalEvents = 0;
    let startedEvents = 0;
    for (const [, pairs] of (events as [string, string[]][] | undefined) ?? []) {
      const event = JSON.parse(pairs[1] ?? '{}') as { status?: string; stage?: string };
      if (event.status !== undefined && TERMINAL.has(event.status)) terminalEvents += 1;
      if (event.stage === 'started') startedEvents += 1;
    }
    return {
      status: status ?? null,
      error: error ?? null,
      takeovers: Number(takeovers ?? 0),
      terminalEvents,
      startedEvents,
    };
  });
}

export function isTerminal(status: string | null): boolean {
  return status !== null && TERMINAL.has(status);
}

/** Statuses of the given jobs, in one round trip per thousand. */
export async function statusesOf(
  redis: RedisClient,
  keys: QueueKeys,
  ids: readonly string[],
): Promise<(string | null)[]> {
  const statuses: (string | null)[] = [];
  for (let start = 0; start < ids.length; start += 1000) {
    const pipeline = redis.pipeline();
    for (const id of ids.slice(start, start + 1000)) pipeline.hget(keys.job(id), 'status');
    for (const [, status] of (await pipeline.exec()) ?? []) statuses.push((status as string | null) ?? null);
  }
  return statuses;
}

export async function tallyJobs(
  redis: RedisClient,
  keys: QueueKeys,
  ids: readonly string[],
  expectedToFail: ReadonlySet<string>,
  expectedPoison: ReadonlySet<string> = new Set(),
): Promise<JobTally> {
  const tally: JobTally = {
    queued: ids.length,
    completed: 0,
    failed_expected: 0,
    poison_expected: 0,
    failed_unexpected: 0,
    lost: 0,
    completed_twice: 0,
    duplicate_executions: 0,
    examples: {},
    unexpected_errors: {},
  };
  const example = (kind: string, id: string) => {
    const list = (tally.examples[kind] ??= []);
    if (list.length < 3) list.push(id);
  };
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    const inspected = await inspect(redis, keys, chunk);
    inspected.forEach((job, index) => {
      const id = chunk[index]!;
      if (!isTerminal(job.status)) {
        tally.lost += 1;
        example(`lost (${job.status ?? 'missing'})`, id);
      } else if (job.status === 'completed' && !expectedToFail.has(id)) tally.completed += 1;
      else if (job.status === 'failed' && expectedToFail.has(id)) tally.failed_expected += 1;
      else if (job.status === 'failed' && expectedPoison.has(id)) tally.poison_expected += 1;
      else {
        tally.failed_unexpected += 1;
        example(`unexpected ${job.status}`, id);
        const error = (job.error ?? job.status ?? '').replace(/\d+/g, 'N').slice(0, 120);
        tally.unexpected_errors[error] = (tally.unexpected_errors[error] ?? 0) + 1;
      }
      if (job.terminalEvents > 1) {
        tally.completed_twice += 1;
        example('more than one terminal event', id);
      }
      tally.duplicate_executions += Math.max(0, job.startedEvents + job.takeovers - 1);
    });
  }
  return tally;
}
