/**
 * The tRPC context: the services, the caller's raw token, and how much is queued on its
 * connection. HTTP builds it per request, WebSocket once per connection (token from
 * connectionParams), so the token is verified in the `isAuthed` middleware on every call,
 * where expiry is checked each time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { ApiServices } from './apiServices.js';
import { bearerToken, MAX_AUTHORIZATION_LENGTH } from './auth.js';
import { createResponseBudget, perCallBudget, type ResponseBudget } from './responseBudget.js';

export interface Context {
  services: ApiServices;
  token: string | undefined;
  /** Bytes written to this client and not yet sent: subscriptions coalesce while it is high. */
  outboundBacklog: () => number;
  /** Job records this HTTP request may still return (a batch shares it). */
  responseBudget: ResponseBudget;
  /** Identifies the connection (WebSocket) or request (HTTP) for the per-connection subscription limit. */
  connection: object;
}

export interface ContextSource {
  req: IncomingMessage;
  res?: ServerResponse | WebSocket;
  info?: { connectionParams?: Record<string, string | undefined> | null };
}

function backlogOf(res: ServerResponse | WebSocket | undefined): () => number {
  if (!res) return () => 0;
  return 'bufferedAmount' in res ? () => res.bufferedAmount : () => res.writableLength;
}

/** A bare `token` connection parameter, refused unread past the same length as a header. */
const plainToken = (value: string | undefined) =>
  value !== undefined && value.length <= MAX_AUTHORIZATION_LENGTH ? value : undefined;

export function createContextFactory(services: ApiServices) {
  return ({ req, res, info }: ContextSource): Context => ({
    services,
    token:
      bearerToken(req.headers.authorization) ??
      bearerToken(info?.connectionParams?.authorization) ??
      plainToken(info?.connectionParams?.token ?? undefined),
    outboundBacklog: backlogOf(res),
    connection: {},
    responseBudget:
      res && 'bufferedAmount' in res ? perCallBudget : createResponseBudget(services.config.API_MAX_ROWS_PER_REQUEST),
  });
}
