/**
 * Alert rules and alerts in Redis: a user's rules, matching a finished analysis against its
 * user's rules (each alert recorded once per rule x symbol x interval x bar by
 * recordAlert.lua), the user's alert log for alerts.subscribe, and alerts.list's reads.
 */
import { randomBytes } from 'node:crypto';
import { type AlertCriteria, appliesTo, matchAlert } from '../../analysis/alertMatch.js';
import { intervalMs, isInterval } from '../../analysis/intervals.js';
import { isAnalysisData, recentSignals } from '../../analysis/recentSignals.js';
import { newUlid } from '../analysisId.js';
import type { QueueKeys } from '../keys.js';
import type { RedisClient } from '../redisConnection.js';
import type { EndedJob } from '../scans/settlingQueue.js';
import { runScript } from '../scripts/runScript.js';
import { recordAlert } from '../scripts/alertScripts.js';
import {
  type Alert,
  alertFromHash,
  type AlertRule,
  type DeliveryState,
  ruleFromHash,
  ruleToHash,
} from './alertRecords.js';

/** Alerts kept on a user's log (XADD MAXLEN ~) and how long an alert's record lives. */
export const ALERT_LOG_MAX = 1000;
export const ALERT_TTL_SECONDS = 7 * 24 * 3600;
/** Users whose rules a worker keeps between batches (all forgotten past it, then read again). */
const MAX_CACHED_RULE_USERS = 10_000;

export interface NewRule extends AlertCriteria {
  name: string;
  webhook_url: string | null;
}

export interface AlertFilters {
  rule_id?: string | undefined;
  symbol?: string | undefined;
  interval?: string | undefined;
  delivery?: DeliveryState | undefined;
  limit: number;
}

export interface LoggedAlert {
  eventId: string;
  alert: Alert;
}

/** Long enough that no job on the same bar can still finish after it: two bars and an hour. */
function onceTtlSeconds(interval: string): number {
  const bar = isInterval(interval) ? intervalMs(interval) : 86_400_000;
  return Math.ceil((2 * bar) / 1000) + 3600;
}

const fieldsOf = (values: unknown): (string | null)[] => (Array.isArray(values) ? (values as (string | null)[]) : []);

export function createAlertStore(redis: RedisClient, keys: QueueKeys) {
  async function createRule(userId: string, request: NewRule): Promise<{ rule: AlertRule; secret: string }> {
    const now = Date.now();
    const rule: AlertRule = {
      ...request,
      rule_id: `rule_${newUlid(now)}`,
      user_id: userId,
      created_at: new Date(now).toISOString(),
    };
    const secret = `whsec_${randomBytes(24).toString('hex')}`;
    await redis
      .multi()
      .hset(keys.alertRule(rule.rule_id), ...ruleToHash(rule, secret, now))
      .zadd(keys.userAlertRules(userId), String(now), rule.rule_id)
      .incr(keys.alertRulesVersion())
      .exec();
    return { rule, secret };
  }

  async function ruleWithSecret(ruleId: string): Promise<{ rule: AlertRule; secret: string } | undefined> {
    const hash = await redis.hgetall(keys.alertRule(ruleId));
    const rule = ruleFromHash(hash);
    return rule && { rule, secret: hash.secret ?? '' };
  }

  async function rules(userId: string): Promise<AlertRule[]> {
    const ids = await redis.zrange(keys.userAlertRules(userId), '0', '-1');
    const found = await Promise.all(ids.map(async (id) => ruleFromHash(await redis.hgetall(keys.alertRule(id)))));
    return found.filter((rule): rule is AlertRule => rule !== undefined && rule.user_id === userId);
  }

  async function deleteRule(userId: string, ruleId: string): Promise<boolean> {
    const owner = await redis.hget(keys.alertRule(ruleId), 'user_id');
    if (owner !== userId) return false;
    await redis
      .multi()
      .del(keys.alertRule(ruleId))
      .zrem(keys.userAlertRules(userId), ruleId)
      .incr(keys.alertRulesVersion())
      .exec();
    return true;
  }

  /**
   * Rules by user as last read, valid while the rules version (raised in the same MULTI as every
   * rule write) stays what it was: the worker then reads one counter per batch instead of each
   * user's rules, and most users have none. The read of the counter comes before the rules are
   * read, so a rule written in between is seen now or invalidates the cache for the next batch.
   */
  const cachedRules = {
    version: '',
    byUser: new Map<string, Promise<AlertRule[]>>(),
    /** The reads that have come back, so a batch whose users are all known waits for nothing. */
    read: new Map<string, AlertRule[]>(),
  };
  function rulesSince(version: string, userId: string): AlertRule[] | Promise<AlertRule[]> {
    if (cachedRules.version !== version || cachedRules.byUser.size >= MAX_CACHED_RULE_USERS) {
      cachedRules.version = version;
      cachedRules.byUser.clear();
      cachedRules.read.clear();
    }
    const known = cachedRules.read.get(userId);
    if (known) return known;
    let found = cachedRules.byUser.get(userId);
    if (!found) {
      const reading = rules(userId);
      found = reading;
      cachedRules.byUser.set(userId, reading);
      reading.then(
        (read) => {
          // Kept only while it is still the cached read (no newer version cleared it meanwhile).
          if (cachedRules.byUser.get(userId) === reading) cachedRules.read.set(userId, read);
        },
        // A failed read is not remembered: the next batch reads again.
        () => cachedRules.byUser.delete(userId),
      );
    }
    return found;
  }

  /**
   * For the worker: matches each completed job among these against its user's rules; returns
   * the alerts created. What their claim read says is enough; only jobs claimed elsewhere have
   * their record read. One pass and no wait for users whose rules are known: this runs for every
   * finish batch.
   */
  async function matchEnded(jobs: readonly EndedJob[]): Promise<number> {
    let completed = 0;
    const unknown: EndedJob[] = [];
    for (const job of jobs) {
      if (job.status !== 'completed') continue;
      completed += 1;
      if (!job.claimed) unknown.push(job);
    }
    if (completed === 0) return 0;
    const { version, read } = await readVersionAndJobs(unknown);
    const ended: { analysisId: string; userId: string; symbol: string; interval: string }[] = [];
    // Each user's rules once, before the jobs, rather than a wait per job.
    const rulesOf = new Map<string, AlertRule[]>();
    const reads: Promise<void>[] = [];
    for (const job of jobs) {
      if (job.status !== 'completed') continue;
      const { userId, symbol, interval } = job.claimed ?? factsRead(read.get(job.analysisId));
      if (!userId || !symbol || !interval) continue;
      if (!rulesOf.has(userId)) {
        const userRules = rulesSince(version, userId);
        rulesOf.set(userId, Array.isArray(userRules) ? userRules : []);
        if (!Array.isArray(userRules)) reads.push(userRules.then((found) => void rulesOf.set(userId, found)));
      }
      ended.push({ analysisId: job.analysisId, userId, symbol, interval });
    }
    if (reads.length > 0) await Promise.all(reads);
    let created = 0;
    for (const job of ended) {
      const userRules = rulesOf.get(job.userId) ?? [];
      if (userRules.length === 0) continue;
      const applying = userRules.filter((rule) => appliesTo(rule, job.symbol, job.interval));
      // Most jobs match no rule: skip reading their analysis_data (tens of KB each).
      if (applying.length > 0) created += await matchJob(job, applying);
    }
    return created;
  }

  const factsRead = (fields: (string | null)[] | undefined) => {
    const [userId, symbol, interval] = fields ?? [];
    return { userId, symbol, interval };
  };

  /** The rules version, and the fields of jobs claimed elsewhere; usually there are none, and one GET does (a pipeline per finish batch was a share of the worker's CPU per job). */
  async function readVersionAndJobs(
    unknown: readonly EndedJob[],
  ): Promise<{ version: string; read: Map<string, (string | null)[]> }> {
    if (unknown.length === 0) return { version: (await redis.get(keys.alertRulesVersion())) ?? '0', read: new Map() };
    const pipeline = redis.pipeline().get(keys.alertRulesVersion());
    for (const job of unknown) pipeline.hmget(keys.job(job.analysisId), 'user_id', 'symbol', 'interval');
    const [versionReply, ...replies] = (await pipeline.exec()) ?? [];
    return {
      version: typeof versionReply?.[1] === 'string' ? versionReply[1] : '0',
      read: new Map(unknown.map((job, index) => [job.analysisId, fieldsOf(replies[index]?.[1])])),
    };
  }

  async function matchJob(
    job: { analysisId: string; userId: string; symbol: string; interval: string },
    applying: AlertRule[],
  ): Promise<number> {
    const text = await redis.hget(keys.job(job.analysisId), 'analysis_data');
    let data: unknown;
    try {
      data = JSON.parse(text ?? '');
    } catch {
      return 0;
    }
    if (!isAnalysisData(data)) return 0;
    const signals = recentSignals(data);
    if (signals.last_bar === null) return 0;
    const trendField = `${job.symbol}:${job.interval}`;
    const previousTrend = (await redis.hget(keys.userTrends(job.userId), trendField)) ?? undefined;
    await redis.hset(keys.userTrends(job.userId), trendField, signals.trend.direction);
    let created = 0;
    for (const rule of applying) {
      const match = matchAlert(rule, signals, previousTrend);
      if (!match) continue;
      const now = Date.now();
      const alertId = `alert_${newUlid(now)}`;
      const fields = {
        alert_id: alertId,
        rule_id: rule.rule_id,
        user_id: job.userId,
        analysis_id: job.analysisId,
        symbol: job.symbol,
        interval: job.interval,
        bar: signals.last_bar,
        match: JSON.stringify(match),
        created_at: now,
      };
      const reply = await runScript(redis, recordAlert, {
        keys: {
          once: keys.alertOnce(rule.rule_id, job.symbol, job.interval, signals.last_bar),
          alert: keys.alert(alertId),
          userAlerts: keys.userAlerts(job.userId),
          webhooksDue: keys.webhooksDue(),
        },
        args: {
          alertId,
          onceTtl: onceTtlSeconds(job.interval),
          alertTtl: ALERT_TTL_SECONDS,
          now,
          logMax: ALERT_LOG_MAX,
          channel: keys.alertChannel(),
          userId: job.userId,
          webhook: rule.webhook_url ? '1' : '0',
          fields: Object.entries(fields).flat().map(String),
        },
      });
      if (reply.outcome === 'created') created += 1;
    }
    return created;
  }

  /** The user's alerts after `afterId` on their log (exclusive; all kept when undefined), oldest first. */
  async function readLog(userId: string, afterId: string | undefined, count = ALERT_LOG_MAX): Promise<LoggedAlert[]> {
    const entries = await redis.xrange(keys.userAlerts(userId), afterId ? `(${afterId}` : '-', '+', 'COUNT', count);
    const read = await Promise.all(
      entries.map(async ([eventId, fields]) => {
        const alertId = fields[fields.indexOf('alert_id') + 1];
        const alert = alertId ? alertFromHash(await redis.hgetall(keys.alert(alertId))) : undefined;
        return alert && alert.user_id === userId ? { eventId, alert } : undefined;
      }),
    );
    return read.filter((entry): entry is LoggedAlert => entry !== undefined);
  }

  /** The newest id on the user's log, where a subscriber without `lastEventId` starts. */
  async function lastEventId(userId: string): Promise<string | undefined> {
    const [last] = await redis.xrevrange(keys.userAlerts(userId), '+', '-', 'COUNT', 1);
    return last?.[0];
  }

  /** The user's alerts, newest first, filtered (over the log's last ALERT_LOG_MAX alerts). */
  async function list(userId: string, filters: AlertFilters): Promise<Alert[]> {
    const all = (await readLog(userId, undefined)).map((entry) => entry.alert).reverse();
    return all
      .filter(
        (alert) =>
          (filters.rule_id === undefined || alert.rule_id === filters.rule_id) &&
          (filters.symbol === undefined || alert.symbol === filters.symbol) &&
          (filters.interval === undefined || alert.interval === filters.interval) &&
          (filters.delivery === undefined || alert.delivery === filters.delivery),
      )
      .slice(0, filters.limit);
  }

  return { createRule, ruleWithSecret, rules, deleteRule, matchEnded, readLog, lastEventId, list };
}

export type AlertStore = ReturnType<typeof createAlertStore>;
