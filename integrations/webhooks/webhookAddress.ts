/**
 * Refuses webhook URLs that would make our workers call into a private network (SSRF): the
 * host is resolved and every address it resolves to must be public. Checked when a rule is
 * created and again before each delivery (a name may resolve elsewhere later).
 * Private, loopback, link-local, carrier-grade NAT, multicast and reserved ranges are refused,
 * IPv4-mapped IPv6 addresses by their IPv4 address; `allowPrivate` (tests, closed networks) lifts it.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  blocked.addSubnet(network, prefix, 'ipv6');

export class WebhookUrlRefused extends Error {
  override readonly name = 'WebhookUrlRefused';
}

function isPrivate(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  return blocked.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** Throws WebhookUrlRefused naming the problem; resolves when the URL may be called. */
export async function checkWebhookUrl(url: string, allowPrivate: boolean): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WebhookUrlRefused('webhook_url: not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new WebhookUrlRefused('webhook_url: must be http or https');
  if (parsed.username || parsed.password) throw new WebhookUrlRefused('webhook_url: must not carry credentials');
  if (allowPrivate) return;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address);
  } catch {
    throw new WebhookUrlRefused(`webhook_url: ${host} does not resolve`);
  }
  if (addresses.length === 0 || addresses.some(isPrivate))
    throw new WebhookUrlRefused(
      `webhook_url: ${host} resolves to a private or loopback address; set ALERT_WEBHOOK_ALLOW_PRIVATE=1 to allow it`,
    );
}
