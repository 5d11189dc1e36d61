/** The shared schedule of webhook deliveries: take the due ones (with a lease), read what to send, record each outcome. */
import type { QueueKeys } from '../keys.js';
import type { RedisClient } from '../redisConnection.js';
import { runScript } from '../scripts/runScript.js';
import { claimDueWebhooks, settleWebhook } from '../scripts/alertScripts.js';
import { type Alert, alertFromHash } from './alertRecords.js';

export interface WebhookDelivery {
  alert: Alert;
  /** Undefined when the rule was deleted or lost its webhook since. */
  url: string | undefined;
  secret: string;
}

export type WebhookOutcome =
  | { outcome: 'delivered' }
  | { outcome: 'retry'; dueAt: number; error: string }
  | { outcome: 'undeliverable'; error: string };

export function createWebhookQueue(redis: RedisClient, keys: QueueKeys) {
  function claimDue(now: number, leaseMs: number, limit: number): Promise<string[]> {
    return runScript(redis, claimDueWebhooks, {
      keys: { webhooksDue: keys.webhooksDue() },
      args: { now, leaseMs, limit },
    });
  }

  async function delivery(alertId: string): Promise<WebhookDelivery | undefined> {
    const alert = alertFromHash(await redis.hgetall(keys.alert(alertId)));
    if (!alert) return undefined;
    const [url, secret] = await redis.hmget(keys.alertRule(alert.rule_id), 'webhook_url', 'secret');
    return { alert, url: url || undefined, secret: secret ?? '' };
  }

  /** Returns the attempts made so far, or -1 when it was no longer pending. */
  function settle(alertId: string, result: WebhookOutcome, now: number): Promise<number> {
    return runScript(redis, settleWebhook, {
      keys: { webhooksDue: keys.webhooksDue(), alert: keys.alert(alertId) },
      args: {
        alertId,
        outcome: result.outcome,
        now,
        dueAt: result.outcome === 'retry' ? result.dueAt : 0,
        error: result.outcome === 'delivered' ? '' : result.error,
      },
    });
  }

  /** Forgets a scheduled delivery whose alert is gone (expired). */
  async function drop(alertId: string): Promise<void> {
    await redis.zrem(keys.webhooksDue(), alertId);
  }

  return { claimDue, delivery, settle, drop };
}

export type WebhookQueue = ReturnType<typeof createWebhookQueue>;
