/**
 * Schedules in Redis: a scan that runs when each candle of its intervals closes (plus a
 * settle delay), on closed candles only. Active schedules sit on one sorted set by next due
 * time, which every worker's scheduler reads (never the keyspace). A run is claimed per bar
 * in one script (claimScheduleRun.lua), then its scan is created under the claimed id
 * (idempotent) and confirmed, so racing nodes make one scan per bar, and a node dying between
 * the two steps leaves the run pending for the next node to finish.
 */
import { type ClosedBar, latestClosedBar, nextBarOpen, nextDueOver } from '../../analysis/barSchedule.js';
import { type Interval, isInterval } from '../../analysis/intervals.js';
import type { Config } from '../../config/env.js';
import { ActiveJobLimitReached } from '../activeJobs.js';
import type { QueueKeys } from '../keys.js';
import type { RedisClient } from '../redisConnection.js';
import type { ScanStore } from '../scans/scanStore.js';
import { newScanId } from '../scans/scanId.js';
import { runScript } from '../scripts/runScript.js';
import {
  claimScheduleRun,
  confirmScheduleRun,
  createSchedule,
  type ScheduleRun,
  setScheduleState,
} from '../scripts/scheduleScripts.js';
import { newScheduleId } from './scheduleId.js';
import { type ScheduleRecord, type ScheduleRequest, scheduleFromHash } from './scheduleRecord.js';

export interface ScheduleStoreOptions {
  /** How long after a candle closes its run is due: the exchange's data settles meanwhile. */
  settleMs: number;
  maxSchedulesPerUser: number;
  /** A claimed run not confirmed within this long is finished by whichever node looks next. */
  pendingRetryMs?: number;
  /** Runs (scan ids) kept on each schedule's run list. */
  runsKept?: number;
}

export function scheduleStoreOptions(
  config: Pick<Config, 'SCHEDULE_SETTLE_DELAY' | 'SCHEDULE_MAX_PER_USER'>,
): ScheduleStoreOptions {
  return { settleMs: config.SCHEDULE_SETTLE_DELAY * 1000, maxSchedulesPerUser: config.SCHEDULE_MAX_PER_USER };
}

export class ScheduleLimitReached extends Error {
  override readonly name = 'ScheduleLimitReached';
  constructor(
    readonly userId: string,
    readonly limit: number,
  ) {
    super(`user ${userId} already has ${limit} schedules, the most allowed: delete one first`);
  }
}

/** What one due schedule came to on one look. */
export type DueOutcome =
  | { outcome: 'ran'; scheduleId: string; scanId: string; bars: ScheduleRun['bars'] }
  | { outcome: 'at-cap'; scheduleId: string; scanId: string }
  /** Another node confirmed the same run first (its scan exists once). */
  | { outcome: 'late'; scheduleId: string; scanId: string }
  | { outcome: 'none' | 'paused' | 'gone'; scheduleId: string };

const DEFAULT_PENDING_RETRY_MS = 5000;
const DEFAULT_RUNS_KEPT = 100;

const pairs = (bars: readonly { interval: string; bar: number }[]) =>
  bars.flatMap(({ interval, bar }) => [interval, bar]);

export function createScheduleStore(
  redis: RedisClient,
  keys: QueueKeys,
  scans: ScanStore,
  options: ScheduleStoreOptions,
) {
  const { settleMs } = options;
  const pendingRetryMs = options.pendingRetryMs ?? DEFAULT_PENDING_RETRY_MS;
  const runsKept = options.runsKept ?? DEFAULT_RUNS_KEPT;

  const closedBars = (intervals: readonly Interval[], now: number) =>
    intervals.map((interval) => ({ interval, ...latestClosedBar(interval, now, settleMs) }));

  async function create(userId: string, request: ScheduleRequest, now = Date.now()): Promise<ScheduleRecord> {
    const scheduleId = newScheduleId(now);
    const record: Record<string, string | number> = {
      schedule_id: scheduleId,
      user_id: userId,
      symbols: request.symbols.join(','),
      intervals: request.intervals.join(','),
      timeframe: request.timeframe,
      alert_rules: request.alert_rules.join(','),
      status: 'active',
      created_at: now,
      updated_at: now,
      runs: 0,
      skipped_runs: 0,
    };
    // The bars closed before the schedule existed count as seen: its first run is the next close.
    for (const { interval, bar } of closedBars(request.intervals, now)) record[`last_bar:${interval}`] = bar;
    const reply = await runScript(redis, createSchedule, {
      keys: {
        schedule: keys.schedule(scheduleId),
        userSchedules: keys.userSchedules(userId),
        due: keys.schedulesDue(),
      },
      args: {
        scheduleId,
        createdAt: now,
        nextDue: nextDueOver(request.intervals, now, settleMs),
        maxSchedules: options.maxSchedulesPerUser,
        record: Object.entries(record).flat().map(String),
      },
    });
    if (reply.outcome === 'at-cap') throw new ScheduleLimitReached(userId, options.maxSchedulesPerUser);
    const created = await get(scheduleId);
    if (!created) throw new Error(`schedule ${scheduleId} was created but cannot be read back`);
    return created;
  }

  async function get(scheduleId: string): Promise<ScheduleRecord | undefined> {
    return scheduleFromHash(await redis.hgetall(keys.schedule(scheduleId)));
  }

  async function list(userId: string, { limit, offset }: { limit: number; offset: number }) {
    const [total, ids] = await Promise.all([
      redis.zcard(keys.userSchedules(userId)),
      redis.zrevrange(keys.userSchedules(userId), offset, offset + limit - 1),
    ]);
    const schedules = await Promise.all(ids.map((id) => get(id)));
    return { total, schedules: schedules.filter((schedule): schedule is ScheduleRecord => schedule !== undefined) };
  }

  /** The scans the schedule created, newest first, with the close time of the bar each ran for. */
  async function runs(scheduleId: string, limit: number): Promise<{ scan_id: string; closed_at: string }[]> {
    const flat = await redis.zrevrange(keys.scheduleRuns(scheduleId), 0, limit - 1, 'WITHSCORES');
    const result: { scan_id: string; closed_at: string }[] = [];
    for (let index = 0; index + 1 < flat.length; index += 2)
      result.push({ scan_id: flat[index]!, closed_at: new Date(Number(flat[index + 1])).toISOString() });
    return result;
  }

  async function setState(schedule: ScheduleRecord, status: 'active' | 'paused', now = Date.now()) {
    return runScript(redis, setScheduleState, {
      keys: { schedule: keys.schedule(schedule.schedule_id), due: keys.schedulesDue() },
      args: {
        scheduleId: schedule.schedule_id,
        status,
        now,
        nextDue: nextDueOver(schedule.intervals, now, settleMs),
        bars: pairs(closedBars(schedule.intervals, now)),
      },
    });
  }

  const pause = (schedule: ScheduleRecord, now?: number) => setState(schedule, 'paused', now);
  const resume = (schedule: ScheduleRecord, now?: number) => setState(schedule, 'active', now);

  /** Deletes the schedule; scans it already created stay (they are the user's scans). */
  async function remove(schedule: ScheduleRecord): Promise<void> {
    await redis
      .multi()
      .del(keys.schedule(schedule.schedule_id), keys.scheduleRuns(schedule.schedule_id))
      .zrem(keys.userSchedules(schedule.user_id), schedule.schedule_id)
      .zrem(keys.schedulesDue(), schedule.schedule_id)
      .exec();
  }

  /** Schedules whose next run is due at `now`, soonest first. */
  async function due(now: number, limit: number): Promise<string[]> {
    return redis.zrangebyscore(keys.schedulesDue(), '-inf', now, 'LIMIT', 0, limit);
  }

  /** Claims the schedule's latest closed bars and, when that makes a run, creates its scan and confirms it. */
  async function runDue(scheduleId: string, now: number): Promise<DueOutcome> {
    const schedule = await get(scheduleId);
    if (!schedule) {
      await redis.zrem(keys.schedulesDue(), scheduleId);
      return { outcome: 'gone', scheduleId };
    }
    const bars = closedBars(schedule.intervals, now);
    const nextDue = nextDueOver(schedule.intervals, now, settleMs);
    const claim = await runScript(redis, claimScheduleRun, {
      keys: { schedule: keys.schedule(scheduleId), due: keys.schedulesDue() },
      args: {
        scheduleId,
        nextDue,
        retryAt: now + pendingRetryMs,
        scanId: newScanId(now, keys.userPartition(schedule.user_id)),
        bars: pairs(bars),
      },
    });
    if (claim.outcome !== 'run' && claim.outcome !== 'pending') return { outcome: claim.outcome, scheduleId };
    const run = runBars(claim.bars);
    let outcome: 'queued' | 'at-cap' = 'queued';
    try {
      await scans.create(
        schedule.user_id,
        { symbols: schedule.symbols, intervals: run.map((entry) => entry.interval), timeframe: schedule.timeframe },
        {
          scanId: claim.scanId,
          scheduleId,
          candlesUntil: Object.fromEntries(run.map((entry) => [entry.interval, entry.closedAt])),
        },
      );
    } catch (error) {
      if (!(error instanceof ActiveJobLimitReached)) throw error;
      outcome = 'at-cap';
    }
    const confirmed = await runScript(redis, confirmScheduleRun, {
      keys: { schedule: keys.schedule(scheduleId), due: keys.schedulesDue(), runs: keys.scheduleRuns(scheduleId) },
      args: {
        scheduleId,
        scanId: claim.scanId,
        outcome,
        closedAt: Math.max(...run.map((entry) => entry.closedAt)),
        nextDue,
        now,
        runsMax: runsKept,
      },
    });
    // Racing nodes may both create the run (the second creation writes nothing); the one that confirms it reports it.
    if (confirmed !== 'confirmed') return { outcome: 'late', scheduleId, scanId: claim.scanId };
    return outcome === 'queued'
      ? { outcome: 'ran', scheduleId, scanId: claim.scanId, bars: claim.bars }
      : { outcome: 'at-cap', scheduleId, scanId: claim.scanId };
  }

  return { create, get, list, runs, pause, resume, remove, due, runDue };
}

/** The claimed bars with when each closed (the children's candle limit). */
function runBars(bars: ScheduleRun['bars']): ({ interval: Interval } & ClosedBar)[] {
  return bars
    .filter((entry): entry is { interval: Interval; bar: number } => isInterval(entry.interval))
    .map(({ interval, bar }) => ({ interval, bar, closedAt: nextBarOpen(interval, bar) }));
}

export type ScheduleStore = ReturnType<typeof createScheduleStore>;
