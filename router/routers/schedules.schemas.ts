/** Inputs of schedules.*: the scan request of scans.create, plus the alert rules the schedule feeds. */
import { z } from 'zod';
import { SCHEDULE_ID } from '../../storage/schedules/scheduleId.js';
import { userIdSchema } from '../schemas.js';
import { scanRequestSchema } from './scans.schemas.js';

export const MAX_SCHEDULE_ALERT_RULES = 20;

export const scheduleRequestSchema = z
  .object({
    alert_rules: z
      .array(z.string().regex(/^rule_[0-9A-HJKMNP-TV-Z]{26}$/, 'alert_rules: each must look like rule_01J...'))
      .max(MAX_SCHEDULE_ALERT_RULES, `alert_rules: at most ${MAX_SCHEDULE_ALERT_RULES}`)
      .default([]),
  })
  .and(scanRequestSchema);

export const scheduleIdSchema = z.string().regex(SCHEDULE_ID, 'schedule_id must look like sched_01J...');
export const scheduleLookupSchema = z.object({ schedule_id: scheduleIdSchema, user_id: userIdSchema.optional() });
