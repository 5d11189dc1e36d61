/**
 * Scans in Redis: create a scan with its children (one script), read it with its children,
 * count children that ended (settleScanChildren.lua, idempotent per child), list a user's
 * scans, and cancel one. A scan's status is moved along by whoever sees a child end: the
 * worker right after finishing it, and any API node that reads the scan (so a child ended
 * by a path the worker does not report, such as a poison entry, is counted on the next read).
 */
import type { Config } from '../../config/env.js';
import { withinCap } from '../activeJobs.js';
import { newAnalysisId, partitionOfId } from '../analysisId.js';
import type { JobQueue } from '../jobQueue.js';
import { isTerminal } from '../jobRecord.js';
import type { QueueKeys } from '../keys.js';
import { eventJson, progressEvent } from '../progressEvent.js';
import type { RedisClient } from '../redisConnection.js';
import { PROGRESS_LOG_MAX_EVENTS, TERMINAL_PROGRESS_TTL_SECONDS } from '../retention.js';
import { admissionLimit, admissionScriptKeys } from '../admission/admission.js';
import { runScript } from '../scripts/runScript.js';
import { createScan, settleScanChildren } from '../scripts/scanScripts.js';
import { newScanId } from './scanId.js';
import type { EndedJob } from './settlingQueue.js';
import {
  CHILD_FIELDS,
  childFromFields,
  type ScanChild,
  type ScanRecord,
  type ScanRequest,
  scanFromHash,
} from './scanRecord.js';

export interface ScanStoreOptions {
  maxActiveJobsPerUser: number;
  /** 'scan': a scan holds one slot of the user's active-job cap; 'jobs': each child holds one. */
  childrenCountAs: 'scan' | 'jobs';
  /** The stream's undelivered backlog past which children wait for fair admission (0: off). */
  admissionBacklog?: number;
}

export function scanStoreOptions(
  config: Pick<Config, 'ANALYSIS_MAX_ACTIVE_JOBS_PER_USER' | 'SCAN_CHILDREN_COUNT_AS' | 'ANALYSIS_ADMISSION_BACKLOG'>,
): ScanStoreOptions {
  return {
    maxActiveJobsPerUser: config.ANALYSIS_MAX_ACTIVE_JOBS_PER_USER,
    childrenCountAs: config.SCAN_CHILDREN_COUNT_AS,
    admissionBacklog: config.ANALYSIS_ADMISSION_BACKLOG,
  };
}

export interface CreatedScan {
  scanId: string;
  children: { analysisId: string; symbol: string; interval: string }[];
}

/** What a schedule adds to the scans it creates. */
export interface ScanCreateOptions {
  /** The run's id, claimed beforehand: creating the same scan twice writes it once. */
  scanId?: string;
  scheduleId?: string;
  /** Per interval, where the closed candles end (epoch ms): children analyse those only, so results never repaint. */
  candlesUntil?: Readonly<Record<string, number>>;
}

/** Room for every child's event on the scan's log, whatever its size. */
const scanLogMax = (total: number) => Math.max(PROGRESS_LOG_MAX_EVENTS, total + 10);

export function createScanStore(redis: RedisClient, keys: QueueKeys, queue: JobQueue, options: ScanStoreOptions) {
  async function create(userId: string, request: ScanRequest, extra: ScanCreateOptions = {}): Promise<CreatedScan> {
    // The scan, its children and its user's indexes share the user's partition: one slot for the script.
    const partition = keys.userPartition(userId);
    const scanId = extra.scanId ?? newScanId(undefined, partition);
    const now = Date.now();
    const children = request.symbols.flatMap((symbol) =>
      request.intervals.map((interval) => ({ analysisId: newAnalysisId(undefined, partition), symbol, interval })),
    );
    const asJobs = options.childrenCountAs === 'jobs';
    const scanRecord = {
      scan_id: scanId,
      user_id: userId,
      symbols: request.symbols.join(','),
      intervals: request.intervals.join(','),
      timeframe: request.timeframe,
      status: 'queued',
      total: children.length,
      done: 0,
      completed: 0,
      failed: 0,
      cancelled: 0,
      created_at: now,
      updated_at: now,
      ...(extra.scheduleId ? { schedule_id: extra.scheduleId } : {}),
    };
    const call = {
      keys: {
        stream: keys.forPartition(partition).stream,
        scan: keys.scan(scanId),
        scanChildren: keys.scanChildren(scanId),
        userScans: keys.userScans(userId),
        userActive: keys.userActiveJobs(userId),
        userJobs: keys.userJobs(userId),
        ...admissionScriptKeys(keys.forPartition(partition)),
      },
      args: {
        scanId,
        userId,
        group: keys.group,
        admissionLimit: admissionLimit(options),
        createdAt: now,
        maxActive: options.maxActiveJobsPerUser,
        cost: asJobs ? children.length : 1,
        childrenAsJobs: asJobs ? '1' : '0',
        progressLogMax: PROGRESS_LOG_MAX_EVENTS,
        event: eventJson(progressEvent('queued', 'queued', 0, 'queued as part of a scan')),
        scanRecord: Object.entries(scanRecord).flat().map(String),
      },
      items: children.map((child) => ({
        keys: { job: keys.job(child.analysisId), progress: keys.progress(child.analysisId) },
        args: {
          analysisId: child.analysisId,
          record: Object.entries({
            analysis_id: child.analysisId,
            user_id: userId,
            symbol: child.symbol,
            interval: child.interval,
            timeframe: request.timeframe,
            scan_id: scanId,
            status: 'queued',
            created_at: now,
            updated_at: now,
            attempts: 0,
            ...(extra.candlesUntil?.[child.interval] ? { candles_until: extra.candlesUntil[child.interval] } : {}),
          })
            .flat()
            .map(String),
        },
      })),
    };
    await withinCap(redis, keys, userId, options.maxActiveJobsPerUser, () => runScript(redis, createScan, call));
    return { scanId, children };
  }

  async function get(scanId: string): Promise<ScanRecord | undefined> {
    return scanFromHash(await redis.hgetall(keys.scan(scanId)));
  }

  async function childIds(scanId: string): Promise<string[]> {
    return redis.lrange(keys.scanChildren(scanId), 0, -1);
  }

  async function readChildren(ids: readonly string[]): Promise<ScanChild[]> {
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hmget(keys.job(id), ...CHILD_FIELDS);
    const replies = (await pipeline.exec()) ?? [];
    return ids.map((id, index) => {
      const [error, values] = replies[index] ?? [null, []];
      if (error) throw error;
      return childFromFields(id, Array.isArray(values) ? (values as (string | null)[]) : []);
    });
  }

  /** Counts the given children that have ended (each once) and moves the scan's status along. */
  async function settle(scanId: string, userId: string, ids: readonly string[], total: number) {
    return runScript(redis, settleScanChildren, {
      keys: {
        scan: keys.scan(scanId),
        settled: keys.scanSettled(scanId),
        progress: keys.progress(scanId),
        userActive: keys.userActiveJobs(userId, partitionOfId(scanId)),
      },
      args: {
        channel: keys.progressChannel(),
        now: Date.now(),
        progressLogMax: scanLogMax(total),
        progressTtl: TERMINAL_PROGRESS_TTL_SECONDS,
      },
      items: ids.map((analysisId) => ({ keys: { job: keys.job(analysisId) }, args: { analysisId } })),
    });
  }

  /** The scan and its children, with any ended child not yet counted counted now. */
  async function read(scanId: string): Promise<{ scan: ScanRecord; children: ScanChild[] } | undefined> {
    const scan = await get(scanId);
    if (!scan) return undefined;
    const children = await readChildren(await childIds(scanId));
    if (isTerminal(scan.status)) return { scan, children };
    const moving = children.filter((child) => child.status !== 'queued').map((child) => child.analysis_id);
    const ended = children.filter((child) => isTerminal(child.status)).length;
    const stale = ended > scan.done || (scan.status === 'queued' && moving.length > 0);
    if (!stale) return { scan, children };
    await settle(scanId, scan.user_id, moving, scan.total);
    const after = (await get(scanId)) ?? scan;
    // Once terminal, the children are read again: the first reading may predate the last child's end.
    return { scan: after, children: isTerminal(after.status) ? await readChildren(await childIds(scanId)) : children };
  }

  async function list(userId: string, { limit, offset }: { limit: number; offset: number }) {
    const [total, ids] = await Promise.all([
      redis.zcard(keys.userScans(userId)),
      redis.zrevrange(keys.userScans(userId), offset, offset + limit - 1),
    ]);
    const scans = await Promise.all(ids.map((id) => get(id)));
    return { total, scans: scans.filter((scan): scan is ScanRecord => scan !== undefined) };
  }

  /**
   * Cancels every child not yet finished: queued ones at once, processing ones by request to
   * their owner. The scan is marked first, so the child that ends last ends it `cancelled`.
   */
  async function cancel(scan: ScanRecord): Promise<{ cancelled: number; requested: number }> {
    await redis.hset(keys.scan(scan.scan_id), 'cancel_requested', '1');
    const children = await readChildren(await childIds(scan.scan_id));
    const open = children.filter((child) => !isTerminal(child.status));
    const outcomes = await Promise.all(open.map((child) => queue.cancel(child.analysis_id, scan.user_id)));
    await settle(
      scan.scan_id,
      scan.user_id,
      children.map((child) => child.analysis_id),
      scan.total,
    );
    return {
      cancelled: outcomes.filter((outcome) => outcome.outcome === 'cancelled').length,
      requested: outcomes.filter((outcome) => outcome.outcome === 'requested').length,
    };
  }

  /**
   * For the worker: counts these ended jobs on their scans (jobs of no scan are skipped). What
   * their claim read says is enough; only jobs claimed elsewhere have their record read.
   */
  async function settleEnded(jobs: readonly EndedJob[]): Promise<void> {
    const byScan = new Map<string, { userId: string; ids: string[] }>();
    const add = (analysisId: string, scanId: string | null | undefined, userId: string | null | undefined) => {
      if (!scanId || !userId) return;
      const entry = byScan.get(scanId) ?? { userId, ids: [] };
      entry.ids.push(analysisId);
      byScan.set(scanId, entry);
    };
    const unknown: string[] = [];
    for (const job of jobs) {
      if (job.claimed) add(job.analysisId, job.claimed.scanId, job.claimed.userId);
      else unknown.push(job.analysisId);
    }
    if (unknown.length > 0) {
      const pipeline = redis.pipeline();
      for (const id of unknown) pipeline.hmget(keys.job(id), 'scan_id', 'user_id');
      const replies = (await pipeline.exec()) ?? [];
      unknown.forEach((id, index) => {
        const values = replies[index]?.[1];
        if (Array.isArray(values)) add(id, ...(values as [string | null, string | null]));
      });
    }
    await Promise.all(
      [...byScan].map(async ([scanId, { userId, ids }]) => {
        const total = Number((await redis.hget(keys.scan(scanId), 'total')) ?? 0);
        await settle(scanId, userId, ids, total);
      }),
    );
  }

  return { create, get, read, list, cancel, settleEnded };
}

export type ScanStore = ReturnType<typeof createScanStore>;
