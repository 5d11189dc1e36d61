/**
 * The tRPC context: the services and the caller's raw token. HTTP builds it per request,
 * WebSocket once per connection (token from connectionParams), so the token is verified
 * in the `isAuthed` middleware on every call, where expiry is checked each time.
 */
import type { IncomingMessage } from 'node:http';
import type { ApiServices } from './apiServices.js';
import { bearerToken } from './auth.js';

export interface Context {
  services: ApiServices;
  token: string | undefined;
}

export interface ContextSource {
  req: IncomingMessage;
  info?: { connectionParams?: Record<string, string | undefined> | null };
}

export function createContextFactory(services: ApiServices) {
  return ({ req, info }: ContextSource): Context => ({
    services,
    token: bearerToken(req.headers.authorization) ?? bearerToken(info?.connectionParams?.authorization) ?? info?.connectionParams?.token ?? undefined,
  });
}
