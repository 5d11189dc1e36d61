/**
 * The typed client: `import { createClient } from 'candela'`. Queries and mutations go over
 * batched HTTP; subscriptions (progress) over one lazily opened WebSocket that carries the
 * token in connectionParams. Call `close()` when done.
 */
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink, type TRPCClient } from '@trpc/client';
import WebSocket from 'ws';
import type { AppRouter } from './routers/_app.js';

export type { AppRouter };

export interface ClientOptions {
  /** The API's base URL, e.g. http://127.0.0.1:8000 */
  url: string;
  /** A JWT from `candela token USER`; omit with AUTH_MODE=none. */
  token?: string;
  /** Calls per HTTP batch; match the server's API_MAX_BATCH_SIZE if it is not the default. */
  maxBatchSize?: number;
}

export interface CandelaClient {
  api: TRPCClient<AppRouter>;
  close(): void;
}

/** The server's default API_MAX_BATCH_SIZE. */
export const DEFAULT_MAX_BATCH_SIZE = 10;

export function createClient(options: ClientOptions): CandelaClient {
  const base = options.url.replace(/\/$/, '');
  const headers = () => (options.token ? { authorization: `Bearer ${options.token}` } : {});
  const wsClient = createWSClient({
    url: `${base.replace(/^http/, 'ws')}/trpc`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
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
          headers,
          maxItems: options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
        }),
      }),
    ],
  });
  return { api, close: () => void wsClient.close() };
}
