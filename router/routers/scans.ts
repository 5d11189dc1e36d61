/**
 * scans.*: one request over many symbols and intervals, a child analysis for each pair.
 * Children are ordinary analyses of the same user (analysis.status reads them); the scan
 * answers for all of them, and holds one slot of the user's active-job cap by default.
 */
import { tracked, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { ActiveJobLimitReached } from '../../storage/jobQueue.js';
import type { ScanRecord } from '../../storage/scans/scanRecord.js';
import type { AuthUser } from '../auth.js';
import type { Context } from '../context.js';
import { followScan } from '../progress/followScan.js';
import { publicMessage } from '../publicErrors.js';
import { authedProcedure, router } from '../trpc.js';
import { ownPageSchema } from '../schemas.js';
import { lastEventIdSchema } from './analysis.js';
import { scanLookupSchema, scanRequestSchema } from './scans.schemas.js';

/** Another user's scan does not exist, as far as this caller can tell. */
async function ownedScan(ctx: Context & { user: AuthUser }, scanId: string): Promise<ScanRecord> {
  const scan = await ctx.services.scans.get(scanId);
  if (!scan || scan.user_id !== ctx.user.id)
    throw new TRPCError({ code: 'NOT_FOUND', message: `scan_id: no scan ${scanId} for this user` });
  return scan;
}

const scanProcedure = authedProcedure.input(scanLookupSchema).use(async function ownsScan({ ctx, input, next }) {
  return next({ ctx: { scan: await ownedScan(ctx, input.scan_id) } });
});

export const scansRouter = router({
  create: authedProcedure.input(scanRequestSchema).mutation(async ({ ctx, input }) => {
    try {
      const { scanId, children } = await ctx.services.scans.create(ctx.user.id, input);
      return {
        scan_id: scanId,
        status: 'queued' as const,
        total: children.length,
        children: children.map((child) => ({
          analysis_id: child.analysisId,
          symbol: child.symbol,
          interval: child.interval,
          status: 'queued' as const,
        })),
        check_status_url: `/scans/${scanId}`,
      };
    } catch (error) {
      if (error instanceof ActiveJobLimitReached)
        throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: error.message });
      throw error;
    }
  }),

  status: scanProcedure.query(async ({ ctx }) => {
    const read = await ctx.services.scans.read(ctx.scan.scan_id);
    if (!read)
      throw new TRPCError({ code: 'NOT_FOUND', message: `scan_id: no scan ${ctx.scan.scan_id} for this user` });
    ctx.responseBudget.take(1);
    return {
      ...read.scan,
      children: read.children.map((child) => ({
        ...child,
        error: child.error === null ? null : publicMessage(child.error),
      })),
    };
  }),

  list: authedProcedure.input(ownPageSchema).query(async ({ ctx, input }) => {
    ctx.responseBudget.take(input.limit);
    const { total, scans } = await ctx.services.scans.list(ctx.user.id, input);
    return { total, limit: input.limit, offset: input.offset, scans };
  }),

  cancel: scanProcedure.mutation(async ({ ctx }) => {
    const { scan } = ctx;
    if (scan.status === 'completed' || scan.status === 'failed' || scan.status === 'cancelled')
      throw new TRPCError({
        code: 'CONFLICT',
        message: `scan_id: scan ${scan.scan_id} is already ${scan.status}; only queued or processing scans can be cancelled`,
      });
    const { cancelled, requested } = await ctx.services.scans.cancel(scan);
    const after = await ctx.services.scans.get(scan.scan_id);
    return {
      scan_id: scan.scan_id,
      status: after?.status ?? scan.status,
      cancelled_children: cancelled,
      cancel_requested_children: requested,
      message: requested > 0 ? 'queued children cancelled; running ones asked to stop' : 'every open child cancelled',
    };
  }),

  progress: scanProcedure.input(z.object({ lastEventId: lastEventIdSchema })).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const release = ctx.services.subscriptions.acquire(ctx.connection, ctx.user.id);
    try {
      const feed = followScan({
        hub: ctx.services.progressHub,
        log: ctx.services.progressLog,
        scans: ctx.services.scans,
        scanId: ctx.scan.scan_id,
        lastEventId: input.lastEventId ?? undefined,
        signal: signal ?? new AbortController().signal,
        outboundBacklog: ctx.outboundBacklog,
      });
      for await (const message of feed) yield tracked(message.event_id, message.event);
    } finally {
      release();
    }
  }),
});
