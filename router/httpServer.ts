/**
 * The API process's one port: tRPC over HTTP at /trpc and over WebSocket on the same path
 * (with keepalive), the original REST + SSE routes, /charts, /health, /ready, /metrics and the
 * browser dashboard at `/` (with its /assets/).
 * Graceful close: stop accepting, tell WebSocket clients to reconnect elsewhere, then end
 * sockets still open after the grace period.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import type { ApiServices } from './apiServices.js';
import { serveChart } from './charts/chartRoute.js';
import { createContextFactory } from './context.js';
import { loadDashboardFiles } from './dashboard/dashboardFiles.js';
import { localRequestRefusal } from './localOrigin.js';
import { createApiMetrics } from './metrics.js';
import { RateLimited, retryAfterOf } from './rateLimits.js';
import { MAX_BODY_BYTES, sendError, sendJson } from './rest/httpResponses.js';
import { matchRestRoute } from './rest/restRoutes.js';
import { appRouter } from './routers/_app.js';

/** Probes and scrapes are never throttled: a limited client must not make the node look down. */
const UNLIMITED_PATHS = new Set(['/health', '/ready', '/metrics']);

export interface ApiServer {
  url: string;
  close(graceMs: number): Promise<void>;
}

function sendNotFound(req: http.IncomingMessage, res: http.ServerResponse, path: string): void {
  sendJson(res, 404, {
    error: 'NOT_FOUND',
    message: `no route for ${req.method} ${path}`,
    detail: `no route for ${req.method} ${path}`,
  });
}

export async function startApiServer(services: ApiServices): Promise<ApiServer> {
  const createContext = createContextFactory(services);
  const trpcHandler = createHTTPHandler({
    router: appRouter,
    createContext,
    basePath: '/trpc/',
    maxBodySize: MAX_BODY_BYTES,
    maxBatchSize: services.config.API_MAX_BATCH_SIZE,
    responseMeta: ({ errors }) => {
      const retryAfter = errors.map(retryAfterOf).find((seconds) => seconds !== undefined);
      return retryAfter === undefined ? {} : { headers: { 'retry-after': String(retryAfter) } };
    },
  });
  const metrics = createApiMetrics(services);
  const dashboard = loadDashboardFiles();

  function route(req: http.IncomingMessage, res: http.ServerResponse, url: URL): { name: string; run(): unknown } {
    const path = url.pathname;
    if (path.startsWith('/trpc/')) return { name: '/trpc', run: () => trpcHandler(req, res) };
    if (path === '/health') return { name: path, run: () => sendJson(res, 200, { status: 'ok' }) };
    if (path === '/ready') {
      return {
        name: path,
        run: () => ready(services, res),
      };
    }
    if (path === '/metrics') {
      return {
        name: path,
        run: () =>
          metrics.render().then((text) => {
            res.writeHead(200, { 'content-type': metrics.contentType });
            res.end(text);
          }),
      };
    }
    if (path.startsWith('/charts/') && req.method === 'GET')
      return { name: '/charts', run: () => serveChart(services, url, res) };
    // Only a path as sent: URL parsing resolves dot segments, so `/charts/%2e%2e` would become `/`.
    const sentPath = (req.url ?? '').split('?')[0];
    if ((path === '/' || path.startsWith('/assets/')) && sentPath === path)
      return {
        name: '/dashboard',
        run: () => dashboard.serve(req.method ?? 'GET', path, res) || sendNotFound(req, res, path),
      };
    const rest = matchRestRoute(services, req, res, url);
    if (rest === 'wrong-method')
      return {
        name: 'other',
        run: () =>
          sendJson(res, 405, {
            error: 'METHOD_NOT_SUPPORTED',
            message: `${req.method} is not allowed on ${path}`,
            detail: `${req.method} is not allowed on ${path}`,
          }),
      };
    if (rest) return rest;
    return { name: 'other', run: () => sendNotFound(req, res, path) };
  }

  const server = http.createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://api.local');
    } catch {
      return sendJson(res, 400, {
        error: 'BAD_REQUEST',
        message: 'path: not a valid URL',
        detail: 'path: not a valid URL',
      });
    }
    const refusal = services.config.AUTH_MODE === 'none' ? localRequestRefusal(req, false) : undefined;
    if (refusal) return sendJson(res, 403, { error: 'FORBIDDEN', message: refusal, detail: refusal });
    if (!UNLIMITED_PATHS.has(url.pathname)) {
      try {
        services.rateLimits.perIp.take(req.socket.remoteAddress ?? 'unknown');
      } catch (error) {
        if (error instanceof RateLimited) return sendError(res, error);
        throw error;
      }
    }
    const handler = route(req, res, url);
    const done = metrics.startRequest(req.method ?? 'GET', handler.name);
    res.once('finish', () => done(res.statusCode));
    Promise.resolve()
      .then(() => handler.run())
      .catch((error: unknown) => sendError(res, error, services.log));
  });

  const wss = new WebSocketServer({
    server,
    path: '/trpc',
    maxPayload: MAX_BODY_BYTES,
    verifyClient: ({ req }, accept) => {
      const refusal = services.config.AUTH_MODE === 'none' ? localRequestRefusal(req, true) : undefined;
      if (refusal)
        services.log.warn(
          { host: req.headers.host, origin: req.headers.origin },
          'websocket upgrade refused: not local',
        );
      accept(refusal === undefined, 403, refusal);
    },
  });
  const wsHandler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext,
    maxBatchSize: services.config.API_MAX_BATCH_SIZE,
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
  });

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
      metrics.close();
    },
  };
}

/** /ready: Redis answers, and MongoDB too when it is configured (reported by name either way). */
async function ready(services: ApiServices, res: http.ServerResponse): Promise<void> {
  const [redisOk, mongoOk] = await Promise.all([
    services.redis.ping().then(
      () => true,
      () => false,
    ),
    services.mongo?.ping(),
  ]);
  const dependencies = {
    redis: redisOk ? 'ok' : 'unreachable',
    ...(mongoOk === undefined ? {} : { mongodb: mongoOk ? 'ok' : 'unreachable' }),
  };
  if (redisOk && mongoOk !== false) sendJson(res, 200, { status: 'ready', dependencies });
  else sendJson(res, 503, { status: redisOk ? 'mongodb unreachable' : 'redis unreachable', dependencies });
}
