/**
 * AUTH_MODE=none trusts every caller that reaches the port, so it must only be reached from
 * this machine, not from a web page the developer happens to visit: the Host header must
 * name loopback (a DNS-rebinding page sends its own domain), and a WebSocket upgrade from a
 * browser must come from a loopback Origin (browsers send Origin; other clients send none).
 */
import type { IncomingMessage } from 'node:http';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The host part of a Host header value (`name`, `name:port`, `[v6]:port`), lower-cased. */
function hostName(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  const colon = value.lastIndexOf(':');
  return colon >= 0 && value.indexOf(':') === colon ? value.slice(0, colon) : value;
}

export function isLoopbackHost(hostHeader: string | undefined): boolean {
  return hostHeader !== undefined && LOOPBACK_NAMES.has(hostName(hostHeader));
}

export function isLoopbackOrigin(origin: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return LOOPBACK_NAMES.has(new URL(origin).hostname.toLowerCase());
  } catch {
    return false;
  }
}

/** Why a local-mode request is refused, or undefined when it may proceed. */
export function localRequestRefusal(req: IncomingMessage, upgrade: boolean): string | undefined {
  if (!isLoopbackHost(req.headers.host))
    return `host: ${JSON.stringify(req.headers.host ?? '')} is not a loopback name; AUTH_MODE=none answers only localhost, 127.0.0.1 and [::1]`;
  if (upgrade && !isLoopbackOrigin(req.headers.origin))
    return `origin: ${JSON.stringify(req.headers.origin)} is not a loopback origin; AUTH_MODE=none accepts WebSocket connections only from this machine`;
  return undefined;
}
