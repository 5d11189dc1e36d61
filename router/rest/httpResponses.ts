/** JSON replies and error mapping shared by the REST, SSE and chart routes. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { z } from 'zod';
import { INTERNAL_MESSAGE, newRequestId } from '../publicErrors.js';
import { RateLimited, retryAfterOf } from '../rateLimits.js';
import { describeZodError } from '../trpc.js';

/** A transport-level refusal that happens before any procedure is called (body size, JSON syntax). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export interface ErrorBody {
  error: string;
  /** Names the field at fault, e.g. `symbol: symbol must be ...`. */
  message: string;
  /** The original API's FastAPI-style key, kept for its clients. */
  detail: string;
  fields?: Record<string, string[] | undefined>;
  /** On an internal error: the id the server's log line carries. */
  request_id?: string;
}

const internalReply = (requestId: string) => ({
  status: 500,
  body: {
    error: 'INTERNAL_SERVER_ERROR',
    message: `${INTERNAL_MESSAGE} (request id ${requestId})`,
    detail: INTERNAL_MESSAGE,
    request_id: requestId,
  },
});

export function errorReply(error: unknown, requestId: string = newRequestId()): { status: number; body: ErrorBody } {
  if (error instanceof RateLimited)
    return { status: 429, body: { error: 'TOO_MANY_REQUESTS', message: error.message, detail: error.message } };
  if (error instanceof HttpError)
    return {
      status: error.status,
      body: { error: `HTTP_${error.status}`, message: error.message, detail: error.message },
    };
  if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') {
    const zodError = error.cause instanceof z.ZodError ? error.cause : undefined;
    const message = zodError ? describeZodError(zodError) : error.message;
    return {
      status: getHTTPStatusCodeFromError(error),
      body: {
        error: error.code,
        message,
        detail: message,
        ...(zodError ? { fields: z.flattenError(zodError).fieldErrors } : {}),
      },
    };
  }
  return internalReply(requestId);
}

export function sendError(res: ServerResponse, error: unknown, log?: { error(obj: object, msg: string): void }): void {
  const requestId = newRequestId();
  const { status, body } = errorReply(error, requestId);
  if (status >= 500)
    log?.error({ err: error instanceof TRPCError ? (error.cause ?? error) : error, requestId }, 'request failed');
  // After a 413 or 415 the rest of the body is never read, so the connection cannot be reused.
  const retryAfter = retryAfterOf(error);
  sendJson(res, status, body, {
    ...(retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {}),
    ...(status === 413 || status === 415 ? { connection: 'close' } : {}),
    ...(body.request_id ? { 'x-request-id': body.request_id } : {}),
  });
}

export const MAX_BODY_BYTES = 16 * 1024;

/** The JSON object body of a request: 413 past 16 KB, 400 when it is not a JSON object. An empty body is `{}`. */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  const hasBody = declared > 0 || req.headers['transfer-encoding'] !== undefined;
  // A cross-site form or text/plain POST needs no preflight; a JSON body does, so only JSON is read.
  if (hasBody && req.headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase() !== 'application/json') {
    throw new HttpError(
      415,
      `content-type: a request body must be application/json, got ${JSON.stringify(req.headers['content-type'] ?? '')}`,
    );
  }
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, `body: at most ${MAX_BODY_BYTES} bytes are accepted`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `body: at most ${MAX_BODY_BYTES} bytes are accepted`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body: not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new HttpError(400, 'body: must be a JSON object');
  return parsed as Record<string, unknown>;
}
