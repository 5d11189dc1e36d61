/**
 * schedules.*: a scan that runs when each candle of its intervals closes (after
 * SCHEDULE_SETTLE_DELAY), on closed candles only. The workers run it; here a user creates,
 * lists, pauses, resumes and deletes their own schedules. Another user's schedule does not
 * exist, as far as a caller can tell.
 */
import { TRPCError } from '@trpc/server';
import { isInterval } from '../../analysis/intervals.js';
import type { ScheduleRecord } from '../../storage/schedules/scheduleRecord.js';
import { ScheduleLimitReached } from '../../storage/schedules/scheduleStore.js';
import type { AuthUser } from '../auth.js';
import type { Context } from '../context.js';
import { authedProcedure, router } from '../trpc.js';
import { ownPageSchema } from '../schemas.js';
import { scheduleLookupSchema, scheduleRequestSchema } from './schedules.schemas.js';

/** Runs shown with a schedule. */
const RUNS_SHOWN = 20;

async function ownedSchedule(ctx: Context & { user: AuthUser }, scheduleId: string): Promise<ScheduleRecord> {
  const schedule = await ctx.services.schedules.get(scheduleId);
  if (!schedule || schedule.user_id !== ctx.user.id)
    throw new TRPCError({ code: 'NOT_FOUND', message: `schedule_id: no schedule ${scheduleId} for this user` });
  return schedule;
}

const scheduleProcedure = authedProcedure.input(scheduleLookupSchema).use(async function ownsSchedule({
  ctx,
  input,
  next,
}) {
  return next({ ctx: { schedule: await ownedSchedule(ctx, input.schedule_id) } });
});

export const schedulesRouter = router({
  create: authedProcedure.input(scheduleRequestSchema).mutation(async ({ ctx, input }) => {
    const rules = new Set((await ctx.services.alerts.rules(ctx.user.id)).map((rule) => rule.rule_id));
    const unknown = input.alert_rules.find((ruleId) => !rules.has(ruleId));
    if (unknown !== undefined)
      throw new TRPCError({ code: 'BAD_REQUEST', message: `alert_rules: no rule ${unknown} for this user` });
    try {
      return await ctx.services.schedules.create(ctx.user.id, {
        symbols: input.symbols,
        intervals: input.intervals.filter(isInterval),
        timeframe: input.timeframe,
        alert_rules: input.alert_rules,
      });
    } catch (error) {
      if (error instanceof ScheduleLimitReached)
        throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: error.message });
      throw error;
    }
  }),

  get: scheduleProcedure.query(async ({ ctx }) => ({
    ...ctx.schedule,
    recent_runs: await ctx.services.schedules.runs(ctx.schedule.schedule_id, RUNS_SHOWN),
  })),

  list: authedProcedure.input(ownPageSchema).query(async ({ ctx, input }) => {
    ctx.responseBudget.take(input.limit);
    const { total, schedules } = await ctx.services.schedules.list(ctx.user.id, input);
    return { total, limit: input.limit, offset: input.offset, schedules };
  }),

  pause: scheduleProcedure.mutation(async ({ ctx }) => {
    await ctx.services.schedules.pause(ctx.schedule);
    return await ownedSchedule(ctx, ctx.schedule.schedule_id);
  }),

  resume: scheduleProcedure.mutation(async ({ ctx }) => {
    await ctx.services.schedules.resume(ctx.schedule);
    return await ownedSchedule(ctx, ctx.schedule.schedule_id);
  }),

  delete: scheduleProcedure.mutation(async ({ ctx }) => {
    await ctx.services.schedules.remove(ctx.schedule);
    return { schedule_id: ctx.schedule.schedule_id, deleted: true };
  }),
});
