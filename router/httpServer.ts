/**
 * The API process's one port: tRPC over HTTP at /trpc and over WebSocket on the same path,
 * plus /health and /ready. Graceful close: stop accepting, tell WebSocket clients to
 * reconnect elsewhere, then end sockets still open after the grace period.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import type { ApiServices } from './apiServices.js';
import { createContextFactory } from './context.js';
import { appRouter } from './routers/_app.js';

export interface ApiServer {
  url: string;
  close(graceMs: number): Promise<void>;
}

export const MAX_BODY_BYTES = 16 * 1024;

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startApiServer(services: ApiServices): Promise<ApiServer> {
  const createContext = createContextFactory(services);
  const trpcHandler = createHTTPHandler({ router: appRouter, createContext, basePath: '/trpc/', maxBodySize: MAX_BODY_BYTES });

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/trpc/')) return trpcHandler(req, res);
    if (path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (path === '/ready') {
      services.redis.ping().then(
        () => sendJson(res, 200, { status: 'ready' }),
        () => sendJson(res, 503, { status: 'redis unreachable' }),
      );
      return;
    }
    sendJson(res, 404, { error: `no route for ${req.method} ${path}` });
  });

  const wss = new WebSocketServer({ server, path: '/trpc' });
  const wsHandler = applyWSSHandler({ wss, router: appRouter, createContext, keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 } });

  await new Promise<void>((resolve) => server.listen(services.config.PORT, services.config.HOST, resolve));
  const { port } = server.address() as AddressInfo;
  const host = services.config.HOST.includes(':') ? `[${services.config.HOST}]` : services.config.HOST;

  return {
    url: `http://${host}:${port}`,
    async close(graceMs) {
      wsHandler.broadcastReconnectNotification();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      wss.close();
      server.closeIdleConnections();
      const timer = setTimeout(() => {
        for (const client of wss.clients) client.terminate();
        server.closeAllConnections();
      }, graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}
