/**
 * One round of webhook deliveries, shared by every worker through Redis: take the due
 * deliveries (each leased, so a worker that dies mid-round leaves them due again), send each
 * signed, and record the outcome: delivered; a retry after an exponential backoff with
 * jitter; or, once retrying would pass the allowed time since the alert, undeliverable.
 */
import { sendWebhook } from '../integrations/webhooks/sendWebhook.js';
import { checkWebhookUrl, WebhookUrlRefused } from '../integrations/webhooks/webhookAddress.js';
import type { WebhookOutcome, WebhookQueue } from '../storage/alerts/webhookQueue.js';

export interface WebhookSettings {
  timeoutMs: number;
  /** How long after the alert deliveries are retried; then it is undeliverable. */
  retryForMs: number;
  retryBaseMs: number;
  allowPrivate: boolean;
  batchSize: number;
}

const MAX_DELAY_MS = 5 * 60_000;

export function webhookRetryDelayMs(attemptsSoFar: number, baseMs: number, random: number): number {
  return Math.round(Math.min(MAX_DELAY_MS, baseMs * 2 ** attemptsSoFar) * (0.5 + random / 2));
}

/** Sends the due deliveries; returns how many were taken (a full batch means: go again at once). */
export async function deliverDueWebhooks(
  queue: WebhookQueue,
  settings: WebhookSettings,
  now: () => number,
): Promise<number> {
  const leaseMs = settings.timeoutMs * 2 + 1000;
  const due = await queue.claimDue(now(), leaseMs, settings.batchSize);
  await Promise.all(
    due.map(async (alertId) => {
      const delivery = await queue.delivery(alertId);
      if (!delivery) return queue.drop(alertId);
      const { alert, url, secret } = delivery;
      let outcome: WebhookOutcome;
      if (url === undefined) {
        outcome = { outcome: 'undeliverable', error: 'the rule was deleted or has no webhook any more' };
      } else {
        outcome = await attempt(
          url,
          secret,
          JSON.stringify({ type: 'alert', ...alert, delivery: undefined }),
          settings,
        );
        if (outcome.outcome === 'retry') {
          const dueAt = now() + webhookRetryDelayMs(alert.attempts, settings.retryBaseMs, Math.random());
          outcome =
            dueAt - Date.parse(alert.created_at) > settings.retryForMs
              ? { outcome: 'undeliverable', error: outcome.error }
              : { ...outcome, dueAt };
        }
      }
      await queue.settle(alertId, outcome, now());
    }),
  );
  return due.length;
}

async function attempt(url: string, secret: string, body: string, settings: WebhookSettings): Promise<WebhookOutcome> {
  try {
    await checkWebhookUrl(url, settings.allowPrivate);
  } catch (error) {
    if (error instanceof WebhookUrlRefused) return { outcome: 'undeliverable', error: error.message };
    throw error;
  }
  const result = await sendWebhook(url, secret, body, { timeoutMs: settings.timeoutMs });
  return result.ok ? { outcome: 'delivered' } : { outcome: 'retry', dueAt: 0, error: result.error };
}
