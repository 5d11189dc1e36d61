/** One REST route: method, path pattern and the handler that turns the request into one procedure call. */
import type { RestRequest } from './restRequest.js';

export interface Route {
  method: string;
  /** Used as the metrics label. */
  name: string;
  pattern: RegExp;
  handle(request: RestRequest): Promise<void>;
}
