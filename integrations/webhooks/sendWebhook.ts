/**
 * One webhook attempt: POST the JSON body, signed, with a timeout; the response body is never
 * read (discarded), redirects are not followed (a redirect could lead into a private
 * network), and any 2xx is success. Errors are values: the caller decides about retries.
 */
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhookSignature.js';

export type WebhookAttempt = { ok: true } | { ok: false; error: string };

export async function sendWebhook(
  url: string,
  secret: string,
  body: string,
  options: { timeoutMs: number; now?: number },
): Promise<WebhookAttempt> {
  const timestamp = Math.floor((options.now ?? Date.now()) / 1000);
  try {
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'candela-webhooks',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
      },
      body,
    });
    await response.body?.cancel().catch(() => undefined);
    return response.ok ? { ok: true } : { ok: false, error: `the receiver answered HTTP ${response.status}` };
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : String(error);
    return { ok: false, error: `could not deliver: ${reason}` };
  }
}
