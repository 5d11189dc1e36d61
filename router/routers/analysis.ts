/** analysis.*: queue an analysis, read its status. */
import { TRPCError } from '@trpc/server';
import type { JobRecord } from '../../storage/jobRecord.js';
import type { Context } from '../context.js';
import { analysisRequestSchema, jobLookupSchema } from '../schemas.js';
import { authedProcedure, router } from '../trpc.js';
import type { AuthUser } from '../auth.js';

/** Another user's job does not exist, as far as this caller can tell. */
export async function ownedJob(ctx: Context & { user: AuthUser }, analysisId: string): Promise<JobRecord> {
  const job = await ctx.services.queue.get(analysisId);
  if (!job || job.user_id !== ctx.user.id) throw new TRPCError({ code: 'NOT_FOUND', message: `analysis_id: no analysis ${analysisId} for this user` });
  return job;
}

export const analysisRouter = router({
  queue: authedProcedure.input(analysisRequestSchema).mutation(async ({ ctx, input }) => {
    const { analysisId, created } = await ctx.services.queue.enqueue(
      { user_id: ctx.user.id, symbol: input.symbol, interval: input.interval, timeframe: input.timeframe },
      { idempotencyKey: input.idempotency_key },
    );
    return {
      analysis_id: analysisId,
      status: 'queued' as const,
      message: created ? `analysis of ${input.symbol} ${input.interval} over ${input.timeframe} queued` : 'an analysis with this idempotency key was already queued',
      check_status_url: `/analysis/status/${analysisId}`,
    };
  }),

  status: authedProcedure.input(jobLookupSchema).query(({ ctx, input }) => ownedJob(ctx, input.analysis_id)),
});
