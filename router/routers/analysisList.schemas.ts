/** analysis.list's input: paging (limit, offset for old clients, cursor) and the filters dashboards search by. */
import { z } from 'zod';
import { JOB_STATUSES } from '../../storage/jobRecord.js';
import { intervalSchema, symbolSchema, userIdSchema } from '../schemas.js';

const dateTime = (field: string) =>
  z.iso.datetime({ offset: true, error: `${field} must be an ISO-8601 date-time, e.g. 2026-01-31T00:00:00Z` });

export const listInputSchema = z
  .object({
    user_id: userIdSchema.optional(),
    limit: z.number().int().min(1).max(100).default(20),
    offset: z.number().int().min(0).max(1_000_000).default(0),
    symbol: symbolSchema.optional(),
    interval: intervalSchema.optional(),
    status: z.enum(JOB_STATUSES, { error: `status must be one of ${JOB_STATUSES.join(', ')}` }).optional(),
    /** Inclusive. */
    created_after: dateTime('created_after').optional(),
    /** Exclusive. */
    created_before: dateTime('created_before').optional(),
    /** next_cursor of the previous page. */
    cursor: z.string().min(1, 'cursor must be the next_cursor of a previous page').max(200).optional(),
  })
  .refine(
    (input) =>
      input.created_after === undefined ||
      input.created_before === undefined ||
      Date.parse(input.created_after) < Date.parse(input.created_before),
    { path: ['created_before'], message: 'created_before must be later than created_after' },
  )
  .default({ limit: 20, offset: 0 });

export type ListInput = z.infer<typeof listInputSchema>;
