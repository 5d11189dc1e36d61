/**
 * Signed chart URLs: `image_url` carries its own expiry and an HMAC (AUTH_SECRET), so an
 * `<img>` tag can load it without an Authorization header, and nobody can guess another's.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { chartPath, type ChartRef, parseChartPath } from '../../storage/charts/chartPath.js';

export function createChartSigner(secret: string, ttlMs: number, now: () => number = Date.now) {
  const mac = (ref: ChartRef, expires: number) =>
    createHmac('sha256', secret).update(`${ref.analysisId}.${ref.format}.${expires}`).digest('base64url');

  function sign(ref: ChartRef): string {
    const expires = Math.floor((now() + ttlMs) / 1000);
    return `${chartPath(ref)}?expires=${expires}&signature=${mac(ref, expires)}`;
  }

  /** A stored `image_url` (`/charts/{id}.png`) as a signed URL; anything else stays as it is. */
  function signImageUrl(imageUrl: string | null): string | null {
    const ref = imageUrl === null ? undefined : parseChartPath(imageUrl);
    return ref ? sign(ref) : imageUrl;
  }

  function verify(ref: ChartRef, query: URLSearchParams): boolean {
    const expires = Number(query.get('expires'));
    const signature = query.get('signature') ?? '';
    if (!Number.isInteger(expires) || expires * 1000 < now()) return false;
    const expected = Buffer.from(mac(ref, expires));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  return { sign, signImageUrl, verify };
}

export type ChartSigner = ReturnType<typeof createChartSigner>;
