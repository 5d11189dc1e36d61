/** One REST request as a route sees it: the raw exchange, its path parameters and query, and a caller bound to its identity. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RestCaller } from './restCaller.js';

export interface RestRequest {
  req: IncomingMessage;
  res: ServerResponse;
  params: string[];
  query: URLSearchParams;
  caller: RestCaller;
  signal: AbortSignal;
}
