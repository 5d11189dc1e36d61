/** The REST routes reach the procedures through a caller, so validation and authorization live once. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiServices } from '../apiServices.js';
import { bearerToken } from '../auth.js';
import type { Context } from '../context.js';
import { appRouter } from '../routers/_app.js';
import { createResponseBudget } from '../responseBudget.js';
import { createCallerFactory } from '../trpc.js';

const createCaller = createCallerFactory(appRouter);

export type RestCaller = ReturnType<typeof createCaller>;

export function restCaller(
  services: ApiServices,
  req: IncomingMessage,
  res: ServerResponse,
  signal: AbortSignal,
): RestCaller {
  const ctx: Context = {
    services,
    token: bearerToken(req.headers.authorization),
    outboundBacklog: () => res.writableLength,
    responseBudget: createResponseBudget(services.config.API_MAX_ROWS_PER_REQUEST),
    connection: {},
  };
  return createCaller(ctx, { signal });
}
