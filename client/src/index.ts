/**
 * `@candela/client`: createClient({ url, token }) for the Candela API. Queries and mutations
 * go over batched HTTP; subscriptions (analysis.progress, scans.progress, alerts.subscribe)
 * over one lazily opened WebSocket that carries the token in connectionParams. It uses the
 * platform's fetch and WebSocket (Node 22+, browsers, Deno, Bun), so at run time it needs
 * only the tRPC client; on Node 20 pass `WebSocket` (from the `ws` package) or run node
 * with --experimental-websocket.
 */
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink, type TRPCClient } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './appRouter.js';

export type { AppRouter };
/** Every procedure's input and output, e.g. `Outputs['analysis']['status']`. */
export type Inputs = inferRouterInputs<AppRouter>;
export type Outputs = inferRouterOutputs<AppRouter>;

/** What createWSClient accepts as a WebSocket implementation. */
export type WebSocketConstructor = NonNullable<Parameters<typeof createWSClient>[0]['WebSocket']>;

export interface ClientOptions {
  /** The API's base URL, e.g. http://127.0.0.1:8000 */
  url: string;
  /** A JWT from `candela token USER`; omit with AUTH_MODE=none. */
  token?: string;
  /** Calls per HTTP batch; match the server's API_MAX_BATCH_SIZE if it is not the default. */
  maxBatchSize?: number;
  /** A WebSocket implementation where the platform has none (Node 20 without --experimental-websocket). */
  WebSocket?: WebSocketConstructor;
}

export interface CandelaClient {
  api: TRPCClient<AppRouter>;
  close(): void;
}

/** The server's default API_MAX_BATCH_SIZE. */
export const DEFAULT_MAX_BATCH_SIZE = 10;

function platformWebSocket(): WebSocketConstructor | undefined {
  return (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
}

export function createClient(options: ClientOptions): CandelaClient {
  const base = options.url.replace(/\/$/, '');
  const WebSocketImpl = options.WebSocket ?? platformWebSocket();
  // Found out at the first subscription otherwise, as an error far from its cause.
  if (!WebSocketImpl)
    throw new Error(
      'createClient: this runtime has no global WebSocket (Node 20?): use Node 22+, run node with --experimental-websocket, or pass { WebSocket } from the ws package',
    );
  const wsClient = createWSClient({
    url: `${base.replace(/^http/, 'ws')}/trpc`,
    WebSocket: WebSocketImpl,
    lazy: { enabled: true, closeMs: 1000 },
    connectionParams: () => (options.token ? { token: options.token } : {}),
  });
  const api = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (operation) => operation.type === 'subscription',
        true: wsLink({ client: wsClient }),
        // The server refuses batches over API_MAX_BATCH_SIZE (default 10); the link splits larger ones.
        false: httpBatchLink({
          url: `${base}/trpc`,
          headers: () => (options.token ? { authorization: `Bearer ${options.token}` } : {}),
          maxItems: options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
        }),
      }),
    ],
  });
  return { api, close: () => void wsClient.close() };
}
