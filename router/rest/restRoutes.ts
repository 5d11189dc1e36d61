/**
 * The original REST API, with the original documentation's shapes. Each route turns its
 * path, query and body into one procedure call; the procedure validates and authorizes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiServices } from '../apiServices.js';
import { HttpError, readJsonBody, sendError, sendJson } from './httpResponses.js';
import { forwardInput, type ProcedureInputs } from './procedureInput.js';
import { restCaller } from './restCaller.js';
import type { Route } from './restRoute.js';
import { scanRoutes } from './scanRoutes.js';
import { scheduleRoutes } from './scheduleRoutes.js';
import { streamAnalysis } from './sseRoute.js';

/** Query parameters the caller left out stay out, so the procedure's own defaults and messages apply. */
const optional = (value: string | null) => value ?? undefined;
const text = (value: unknown) => (value === undefined || value === null ? undefined : value);

const routes: Route[] = [
  {
    method: 'POST',
    name: '/analyze/{symbol}/{interval}',
    pattern: /^\/analyze\/([^/]+)\/([^/]+)$/,
    async handle({ req, res, params: [symbol, interval], caller }) {
      const body = await readJsonBody(req);
      const idempotencyKey = text(body.idempotency_key) ?? optional(req.headers['idempotency-key'] as string | null);
      const queued = await caller.analysis.queue(
        forwardInput<ProcedureInputs['analysis']['queue']>({
          symbol,
          interval,
          timeframe: text(body.timeframe),
          user_id: text(body.user_id),
          idempotency_key: idempotencyKey,
        }),
      );
      sendJson(res, 202, queued, { location: queued.check_status_url });
    },
  },
  {
    method: 'POST',
    name: '/analyze-immediate/{symbol}/{interval}',
    pattern: /^\/analyze-immediate\/([^/]+)\/([^/]+)$/,
    async handle({ req, res, params: [symbol, interval], caller }) {
      const body = await readJsonBody(req);
      const input = forwardInput<ProcedureInputs['analysis']['immediate']>({
        symbol,
        interval,
        timeframe: text(body.timeframe),
        user_id: text(body.user_id),
        idempotency_key: undefined,
      });
      sendJson(res, 200, await caller.analysis.immediate(input));
    },
  },
  {
    method: 'GET',
    name: '/analyze-stream/{symbol}/{interval}',
    pattern: /^\/analyze-stream\/([^/]+)\/([^/]+)$/,
    handle: streamAnalysis,
  },
  {
    method: 'GET',
    name: '/analysis/queue/stats',
    pattern: /^\/analysis\/queue\/stats$/,
    async handle({ res, query, caller }) {
      const stats = await caller.queue.stats(
        query.has('user_id')
          ? forwardInput<ProcedureInputs['queue']['stats']>({ user_id: query.get('user_id') })
          : undefined,
      );
      // The original fields, plus waiting_jobs (as queue.stats has it): old clients see what they knew.
      const { stream_name, total_jobs_in_stream, pending_jobs, waiting_jobs, active_consumers, timestamp } = stats;
      sendJson(res, 200, {
        stream_name,
        total_jobs_in_stream,
        pending_jobs,
        waiting_jobs,
        active_consumers,
        timestamp,
      });
    },
  },
  {
    method: 'GET',
    name: '/analysis/status/{id}',
    pattern: /^\/analysis\/status\/([^/]+)$/,
    async handle({ res, params: [id], query, caller }) {
      const job = await caller.analysis.status(
        forwardInput<ProcedureInputs['analysis']['status']>({
          analysis_id: id,
          user_id: optional(query.get('user_id')),
        }),
      );
      // The whole record, as analysis.status answers it: a superset of the original shape.
      sendJson(res, 200, job);
    },
  },
  {
    method: 'DELETE',
    name: '/analysis/cancel/{id}',
    pattern: /^\/analysis\/cancel\/([^/]+)$/,
    async handle({ res, params: [id], query, caller }) {
      const result = await caller.analysis.cancel(
        forwardInput<ProcedureInputs['analysis']['cancel']>({
          analysis_id: id,
          user_id: optional(query.get('user_id')),
        }),
      );
      sendJson(res, result.status === 'processing' ? 202 : 200, result);
    },
  },
  ...scanRoutes,
  ...scheduleRoutes,
];

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `path: ${segment} is not valid percent-encoding`);
  }
}

export interface RestMatch {
  name: string;
  run(): Promise<void>;
}

/** The route for this request, or undefined when none matches (the server answers 404 or 405). */
export function matchRestRoute(
  services: ApiServices,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): RestMatch | 'wrong-method' | undefined {
  const candidates = routes.filter((route) => route.pattern.test(url.pathname));
  if (candidates.length === 0) return undefined;
  const route = candidates.find((candidate) => candidate.method === req.method);
  if (!route) return 'wrong-method';
  return {
    name: route.name,
    async run() {
      const aborted = new AbortController();
      res.once('close', () => aborted.abort());
      try {
        const params = route.pattern.exec(url.pathname)!.slice(1).map(decode);
        await route.handle({
          req,
          res,
          params,
          query: url.searchParams,
          caller: restCaller(services, req, res, aborted.signal),
          signal: aborted.signal,
        });
      } catch (error) {
        sendError(res, error, services.log);
      }
    },
  };
}
