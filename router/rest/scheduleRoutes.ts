/**
 * REST routes for schedules, through the schedules.* procedures: POST /schedules,
 * GET /schedules, GET /schedules/{id}, DELETE /schedules/{id}, POST /schedules/{id}/pause
 * and POST /schedules/{id}/resume.
 */
import { readJsonBody, sendJson } from './httpResponses.js';
import { forwardInput, type ProcedureInputs } from './procedureInput.js';
import type { Route } from './restRoute.js';

const given = (value: unknown) => (value === null ? undefined : value);
const optional = (value: string | null) => value ?? undefined;

type Lookup = ProcedureInputs['schedules']['get'];

export const scheduleRoutes: Route[] = [
  {
    method: 'POST',
    name: '/schedules',
    pattern: /^\/schedules$/,
    async handle({ req, res, caller }) {
      const body = await readJsonBody(req);
      const created = await caller.schedules.create(
        forwardInput<ProcedureInputs['schedules']['create']>({
          symbols: given(body.symbols),
          intervals: given(body.intervals),
          timeframe: given(body.timeframe),
          alert_rules: given(body.alert_rules),
          user_id: given(body.user_id),
        }),
      );
      sendJson(res, 201, created, { location: `/schedules/${created.schedule_id}` });
    },
  },
  {
    method: 'GET',
    name: '/schedules',
    pattern: /^\/schedules$/,
    async handle({ res, query, caller }) {
      const limit = query.get('limit');
      const offset = query.get('offset');
      const listed = await caller.schedules.list(
        forwardInput<ProcedureInputs['schedules']['list']>({
          user_id: optional(query.get('user_id')),
          ...(limit === null ? {} : { limit: Number(limit) }),
          ...(offset === null ? {} : { offset: Number(offset) }),
        }),
      );
      sendJson(res, 200, listed);
    },
  },
  {
    method: 'GET',
    name: '/schedules/{id}',
    pattern: /^\/schedules\/([^/]+)$/,
    async handle({ res, params: [id], query, caller }) {
      const input = forwardInput<Lookup>({ schedule_id: id, user_id: optional(query.get('user_id')) });
      sendJson(res, 200, await caller.schedules.get(input));
    },
  },
  {
    method: 'DELETE',
    name: '/schedules/{id}',
    pattern: /^\/schedules\/([^/]+)$/,
    async handle({ res, params: [id], query, caller }) {
      const input = forwardInput<Lookup>({ schedule_id: id, user_id: optional(query.get('user_id')) });
      sendJson(res, 200, await caller.schedules.delete(input));
    },
  },
  {
    method: 'POST',
    name: '/schedules/{id}/pause',
    pattern: /^\/schedules\/([^/]+)\/pause$/,
    async handle({ res, params: [id], query, caller }) {
      const input = forwardInput<Lookup>({ schedule_id: id, user_id: optional(query.get('user_id')) });
      sendJson(res, 200, await caller.schedules.pause(input));
    },
  },
  {
    method: 'POST',
    name: '/schedules/{id}/resume',
    pattern: /^\/schedules\/([^/]+)\/resume$/,
    async handle({ res, params: [id], query, caller }) {
      const input = forwardInput<Lookup>({ schedule_id: id, user_id: optional(query.get('user_id')) });
      sendJson(res, 200, await caller.schedules.resume(input));
    },
  },
];
