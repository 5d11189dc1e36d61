/**
 * The typed tRPC client in the browser: every call over one WebSocket to this page's own
 * origin, the token sent once in connectionParams (never in a URL).
 */
import { createTRPCClient, createWSClient, TRPCClientError, wsLink, type TRPCClient } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../router/routers/_app.js';

export type Api = TRPCClient<AppRouter>;
export type Outputs = inferRouterOutputs<AppRouter>;
export type Inputs = inferRouterInputs<AppRouter>;
export type Job = Outputs['analysis']['status'];
export type ListInput = NonNullable<Inputs['analysis']['list']>;
export type Worker = Outputs['workers']['list']['workers'][number];
export type DeadLetter = Outputs['queue']['deadLetters'][number];
export type QueueStats = Outputs['queue']['stats'];
export type Scan = Outputs['scans']['list']['scans'][number];
export type ScanDetail = Outputs['scans']['status'];
export type ScanChild = ScanDetail['children'][number];
export type Schedule = Outputs['schedules']['list']['schedules'][number];
export type Alert = Outputs['alerts']['list']['alerts'][number];
export type AlertRule = Outputs['alerts']['rules']['rules'][number];
export type AlertFilters = Omit<Exclude<Inputs['alerts']['list'], void | undefined>, 'limit' | 'user_id'>;

export interface Connection {
  api: Api;
  close(): void;
}

export function connect(token: string): Connection {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const wsClient = createWSClient({
    url: `${scheme}//${location.host}/trpc`,
    connectionParams: () => ({ token }),
    // Reconnect after an API node restarts or a load balancer moves us, without hammering it.
    retryDelayMs: (attempt) => Math.min(1000 * 2 ** attempt, 10_000),
  });
  const api = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
  return { api, close: () => void wsClient.close() };
}

interface ErrorData {
  code?: string;
  fields?: Record<string, string[] | undefined>;
}

const dataOf = (error: unknown): ErrorData =>
  error instanceof TRPCClientError ? ((error.data ?? {}) as ErrorData) : {};

export const errorCode = (error: unknown): string | undefined => dataOf(error).code;

export const isAuthError = (error: unknown): boolean => errorCode(error) === 'UNAUTHORIZED';

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The API's validation messages per input field (from zod), for showing beside each field. */
export function fieldErrors(error: unknown): Record<string, string> {
  const fields = dataOf(error).fields ?? {};
  const out: Record<string, string> = {};
  for (const [field, messages] of Object.entries(fields)) if (messages?.[0]) out[field] = messages[0];
  return out;
}
