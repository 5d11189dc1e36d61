/**
 * The typed client inside the server package: `import { createClient } from 'candela'`. It is
 * the light client (client/src) with the `ws` package as its WebSocket, so it also runs on
 * Node 20, which has no global WebSocket. Call `close()` when done.
 */
import WebSocket from 'ws';
import {
  type CandelaClient,
  type ClientOptions as LightClientOptions,
  createClient as createLightClient,
  DEFAULT_MAX_BATCH_SIZE,
  type WebSocketConstructor,
} from '../client/src/index.js';
import type { AppRouter } from './routers/_app.js';

export type { AppRouter, CandelaClient };
export { DEFAULT_MAX_BATCH_SIZE };

export type ClientOptions = Omit<LightClientOptions, 'WebSocket'>;

export function createClient(options: ClientOptions): CandelaClient {
  // ws implements the browser WebSocket interface that tRPC uses; its types differ in details tRPC never touches.
  return createLightClient({ ...options, WebSocket: WebSocket as unknown as WebSocketConstructor });
}
