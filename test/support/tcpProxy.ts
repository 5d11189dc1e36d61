/**
 * A TCP proxy on loopback that a test can cut and heal, to partition one process from a
 * server (Redis) without touching the others. Written with node:net because the cases we
 * need are two small behaviours, not a fault-injection framework:
 * - `blackhole`: bytes stop flowing both ways but the connections stay open, as when a
 *   link drops packets; on heal the held bytes are delivered in order, as TCP retransmission
 *   would. The far side's late writes are the dangerous case a fence must stop.
 * - `reset`: every connection is destroyed and new ones are refused until the heal, as when
 *   a host restarts or a firewall rejects; clients reconnect and resend.
 */
import net from 'node:net';

export type CutMode = 'blackhole' | 'reset';

export interface TcpProxy {
  port: number;
  url(scheme?: string): string;
  cut(mode?: CutMode): void;
  heal(): void;
  /** Open client connections through the proxy. */
  connections(): number;
  close(): Promise<void>;
}

interface Link {
  client: net.Socket;
  upstream: net.Socket;
  /** Bytes that arrived while blackholed, per direction, delivered in order on heal. */
  held: { toUpstream: Buffer[]; toClient: Buffer[] };
}

export async function startTcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  const host = target.host ?? '127.0.0.1';
  const links = new Set<Link>();
  let cutMode: CutMode | undefined;

  const destroyLink = (link: Link) => {
    link.client.destroy();
    link.upstream.destroy();
    links.delete(link);
  };
  const flush = (link: Link) => {
    for (const chunk of link.held.toUpstream.splice(0)) link.upstream.write(chunk);
    for (const chunk of link.held.toClient.splice(0)) link.client.write(chunk);
  };

  const server = net.createServer((client) => {
    if (cutMode === 'reset') return void client.destroy();
    const upstream = net.connect(target.port, host);
    const link: Link = { client, upstream, held: { toUpstream: [], toClient: [] } };
    links.add(link);
    // Forwarded by hand rather than with pipe(): pipe() resumes a paused source on 'drain',
    // which would let bytes through a blackhole.
    client.on('data', (chunk: Buffer) =>
      cutMode === 'blackhole' ? link.held.toUpstream.push(chunk) : upstream.write(chunk),
    );
    upstream.on('data', (chunk: Buffer) =>
      cutMode === 'blackhole' ? link.held.toClient.push(chunk) : client.write(chunk),
    );
    const close = () => destroyLink(link);
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;

  return {
    port,
    url: (scheme = 'redis') => `${scheme}://127.0.0.1:${port}`,
    cut(mode = 'blackhole') {
      cutMode = mode;
      if (mode === 'reset') for (const link of [...links]) destroyLink(link);
    },
    heal() {
      cutMode = undefined;
      for (const link of links) flush(link);
    },
    connections: () => links.size,
    async close() {
      for (const link of [...links]) destroyLink(link);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
