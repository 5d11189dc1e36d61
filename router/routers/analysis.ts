/** analysis.*: queue, run immediately, read, list, cancel and follow analyses. Every job procedure checks ownership first. */
import { tracked, TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { AuthUser } from '../auth.js';
import type { Context } from '../context.js';
import { followProgress } from '../progress/followProgress.js';
import { STREAM_ID } from '../../storage/progressLog.js';
import { ActiveJobLimitReached, ReplicasUnavailable } from '../../storage/jobQueue.js';
import type { JobRecord } from '../../storage/jobRecord.js';
import type { ProgressEvent } from '../../storage/progressEvent.js';
import { publicMessage } from '../publicErrors.js';
import { analysisRequestSchema, jobLookupSchema } from '../schemas.js';
import { createAnalysisListing } from '../../storage/analysisListing.js';
import { InvalidHistoryCursor } from '../../storage/mongo/historyCursor.js';
import { listInputSchema, type ListInput } from './analysisList.schemas.js';
import { authedProcedure, router } from '../trpc.js';
import { runImmediate } from '../resolvers/immediateResolver.js';

/** Another user's job does not exist, as far as this caller can tell. */
export async function ownedJob(ctx: Context & { user: AuthUser }, analysisId: string): Promise<JobRecord> {
  const job = await ctx.services.queue.get(analysisId);
  if (!job || job.user_id !== ctx.user.id)
    throw new TRPCError({ code: 'NOT_FOUND', message: `analysis_id: no analysis ${analysisId} for this user` });
  return job;
}

/** The record as clients see it: image_url signed, so an <img> tag can load it; the worker's error without server details. */
export function presentJob(ctx: Context, job: JobRecord): JobRecord {
  return {
    ...job,
    image_url: ctx.services.chartSigner.signImageUrl(job.image_url),
    error: job.error === null ? null : publicMessage(job.error),
  };
}

/** A final event carries the result; its image_url is signed like the record's, and worker messages lose server details. */
function presentEvent(ctx: Context, event: ProgressEvent): ProgressEvent {
  const { data } = event;
  const message = publicMessage(event.message);
  if (data === undefined) return { ...event, message };
  const imageUrl = data.image_url;
  return {
    ...event,
    message,
    data: {
      ...data,
      ...(typeof imageUrl === 'string' ? { image_url: ctx.services.chartSigner.signImageUrl(imageUrl) } : {}),
      ...(typeof data.error === 'string' ? { error: publicMessage(data.error) } : {}),
    },
  };
}

/** Procedures about one job: the caller must own it, checked before the resolver (and before a subscription starts). */
const jobProcedure = authedProcedure.input(jobLookupSchema).use(async function ownsJob({ ctx, input, next }) {
  return next({ ctx: { job: await ownedJob(ctx, input.analysis_id) } });
});

/** Both halves of a stream id are unsigned 64-bit numbers; Redis refuses anything larger with a raw error. */
const MAX_STREAM_ID_PART = 2n ** 64n - 1n;
// zod runs every check, so an id that failed the pattern reaches here too: only the pattern's message is wanted then.
const inStreamIdRange = (id: string) =>
  !STREAM_ID.test(id) || id.split('-').every((part) => BigInt(part) <= MAX_STREAM_ID_PART);

export const lastEventIdSchema = z
  .string()
  .regex(STREAM_ID, 'lastEventId must be an event id such as 1700000000000-0')
  .refine(inStreamIdRange, 'lastEventId: each part of an event id is at most 18446744073709551615')
  .nullish();

export const analysisRouter = router({
  queue: authedProcedure.input(analysisRequestSchema).mutation(async ({ ctx, input }) => {
    try {
      const { analysisId, created } = await ctx.services.queue.enqueue(
        { user_id: ctx.user.id, symbol: input.symbol, interval: input.interval, timeframe: input.timeframe },
        { idempotencyKey: input.idempotency_key },
      );
      return {
        analysis_id: analysisId,
        status: 'queued' as const,
        message: created
          ? `analysis of ${input.symbol} ${input.interval} over ${input.timeframe} queued`
          : 'an analysis with this idempotency key was already queued',
        check_status_url: `/analysis/status/${analysisId}`,
      };
    } catch (error) {
      if (error instanceof ActiveJobLimitReached)
        throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: error.message });
      if (error instanceof ReplicasUnavailable)
        throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: error.message });
      throw error;
    }
  }),

  immediate: authedProcedure.input(analysisRequestSchema).mutation(({ ctx, input }) => runImmediate(ctx, input)),

  // Redis first, then MongoDB: an analysis stays readable after its Redis copy expired.
  status: authedProcedure.input(jobLookupSchema).query(async ({ ctx, input }) => {
    ctx.responseBudget.take(1);
    const job = await listingFor(ctx).get(input.analysis_id, ctx.user.id);
    if (!job)
      throw new TRPCError({
        code: 'NOT_FOUND',
        message: `analysis_id: no analysis ${input.analysis_id} for this user`,
      });
    return presentJob(ctx, job);
  }),

  list: authedProcedure.input(listInputSchema).query(async ({ ctx, input }) => {
    ctx.responseBudget.take(input.limit);
    const page = await listPage(ctx, input);
    return {
      total: page.total,
      limit: input.limit,
      offset: input.offset,
      analyses: page.analyses.map((job) => presentJob(ctx, job)),
      next_cursor: page.nextCursor,
    };
  }),

  cancel: jobProcedure.mutation(async ({ ctx }) => {
    const { analysis_id: analysisId } = ctx.job;
    const result = await ctx.services.queue.cancel(analysisId, ctx.user.id);
    switch (result.outcome) {
      case 'cancelled':
        return { analysis_id: analysisId, status: 'cancelled' as const, message: 'cancelled before it started' };
      case 'requested':
        return { analysis_id: analysisId, status: 'processing' as const, message: 'cancellation requested' };
      case 'terminal':
        throw new TRPCError({
          code: 'CONFLICT',
          message: `analysis_id: analysis ${analysisId} is already ${result.status}; only queued or processing analyses can be cancelled`,
        });
      case 'missing':
        throw new TRPCError({ code: 'NOT_FOUND', message: `analysis_id: no analysis ${analysisId} for this user` });
    }
  }),

  progress: jobProcedure.input(z.object({ lastEventId: lastEventIdSchema })).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const release = ctx.services.subscriptions.acquire(ctx.connection, ctx.user.id);
    try {
      yield* presentFeed(ctx, input.lastEventId ?? undefined, signal);
    } finally {
      release();
    }
  }),
});

/** The job's progress feed as clients see it: stream ids as tracked ids (resumable), events presented. */
async function* presentFeed(
  ctx: Context & { job: JobRecord },
  lastEventId: string | undefined,
  signal: AbortSignal | undefined,
) {
  const feed = followProgress({
    hub: ctx.services.progressHub,
    log: ctx.services.progressLog,
    queue: ctx.services.queue,
    analysisId: ctx.job.analysis_id,
    lastEventId,
    signal: signal ?? new AbortController().signal,
    outboundBacklog: ctx.outboundBacklog,
  });
  for await (const message of feed) yield tracked(message.event_id, presentEvent(ctx, message.event));
}

const listingFor = (ctx: Context) =>
  createAnalysisListing(ctx.services.redis, ctx.services.keys, ctx.services.mongo?.history);

/**
 * A page of the caller's analyses, newest first. An offset without a cursor is the original
 * API's paging (the Redis index only, no filters); the cursor pages across Redis and MongoDB.
 */
async function listPage(ctx: Context & { user: AuthUser }, input: ListInput) {
  const filtered = [input.symbol, input.interval, input.status, input.created_after, input.created_before].some(
    (value) => value !== undefined,
  );
  if (input.offset > 0 && input.cursor === undefined) {
    if (filtered)
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: 'offset: filters page with cursor (next_cursor of the previous page), not offset',
      });
    const { total, jobs } = await ctx.services.queue.list(ctx.user.id, input);
    return { total, analyses: jobs, nextCursor: null };
  }
  try {
    return await listingFor(ctx).list({
      userId: ctx.user.id,
      limit: input.limit,
      ...(input.cursor !== undefined && { cursor: input.cursor }),
      ...(input.symbol !== undefined && { symbol: input.symbol }),
      ...(input.interval !== undefined && { interval: input.interval }),
      ...(input.status !== undefined && { status: input.status }),
      ...(input.created_after !== undefined && { createdFrom: new Date(input.created_after) }),
      ...(input.created_before !== undefined && { createdTo: new Date(input.created_before) }),
    });
  } catch (error) {
    if (error instanceof InvalidHistoryCursor) throw new TRPCError({ code: 'BAD_REQUEST', message: error.message });
    throw error;
  }
}
