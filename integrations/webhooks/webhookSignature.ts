/**
 * Webhook signatures, as Stripe and GitHub sign theirs: HMAC-SHA256 with the rule's secret
 * over `{timestamp}.{body}`, sent as `X-Candela-Signature: sha256=<hex>` beside
 * `X-Candela-Timestamp: <unix seconds>`. A receiver recomputes it and refuses an old
 * timestamp, so a captured request cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-candela-signature';
export const TIMESTAMP_HEADER = 'x-candela-timestamp';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does: true when the signature is this body's, with this secret and timestamp. */
export function verifyWebhook(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
