/** REST routes for scans: POST /scans, GET /scans/{id}, DELETE /scans/{id}, through the scans.* procedures. */
import { readJsonBody, sendJson } from './httpResponses.js';
import { forwardInput, type ProcedureInputs } from './procedureInput.js';
import type { Route } from './restRoute.js';

const given = (value: unknown) => (value === null ? undefined : value);

export const scanRoutes: Route[] = [
  {
    method: 'POST',
    name: '/scans',
    pattern: /^\/scans$/,
    async handle({ req, res, caller }) {
      const body = await readJsonBody(req);
      const created = await caller.scans.create(
        forwardInput<ProcedureInputs['scans']['create']>({
          symbols: given(body.symbols),
          intervals: given(body.intervals),
          timeframe: given(body.timeframe),
          user_id: given(body.user_id),
        }),
      );
      sendJson(res, 202, created, { location: created.check_status_url });
    },
  },
  {
    method: 'GET',
    name: '/scans/{id}',
    pattern: /^\/scans\/([^/]+)$/,
    async handle({ res, params: [id], query, caller }) {
      const scan = await caller.scans.status(
        forwardInput<ProcedureInputs['scans']['status']>({ scan_id: id, user_id: query.get('user_id') ?? undefined }),
      );
      sendJson(res, 200, scan);
    },
  },
  {
    method: 'DELETE',
    name: '/scans/{id}',
    pattern: /^\/scans\/([^/]+)$/,
    async handle({ res, params: [id], query, caller }) {
      const result = await caller.scans.cancel(
        forwardInput<ProcedureInputs['scans']['cancel']>({ scan_id: id, user_id: query.get('user_id') ?? undefined }),
      );
      sendJson(res, 200, result);
    },
  },
];
