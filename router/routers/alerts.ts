/**
 * alerts.*: a user's alert rules (createRule, rules, deleteRule), the alerts they produced
 * (list, with filters and webhook delivery state) and a live, resumable feed of new alerts
 * (subscribe). A rule's webhook secret is shown once, when the rule is created.
 */
import { tracked, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { INTERVALS } from '../../analysis/intervals.js';
import { checkWebhookUrl, WebhookUrlRefused } from '../../integrations/webhooks/webhookAddress.js';
import { DELIVERY_STATES } from '../../storage/alerts/alertRecords.js';
import type { Context } from '../context.js';
import { intervalSchema, symbolSchema, userIdSchema } from '../schemas.js';
import { authedProcedure, router } from '../trpc.js';
import { lastEventIdSchema } from './analysis.js';

const ruleIdSchema = z.string().regex(/^rule_[0-9A-HJKMNP-TV-Z]{26}$/, 'rule_id must look like rule_01J...');

const ruleSchema = z.object({
  name: z.string().trim().min(1, 'name: required').max(100, 'name: at most 100 characters'),
  patterns: z
    .array(z.string().regex(/^[a-z0-9_]{2,40}$/, 'patterns: pattern names such as head_and_shoulders or hammer'))
    .max(50)
    .default([]),
  trend_change: z.boolean().default(false),
  level_break: z.boolean().default(false),
  direction: z
    .enum(['bullish', 'bearish', 'any'], { error: 'direction must be bullish, bearish or any' })
    .default('any'),
  min_strength: z.number().min(0).max(1, 'min_strength: between 0 and 1').default(0),
  symbols: z.array(symbolSchema).max(200, 'symbols: at most 200').default([]),
  intervals: z.array(intervalSchema).max(INTERVALS.length).default([]),
  webhook_url: z.string().max(2000).url('webhook_url must be an http(s) URL').optional(),
  user_id: userIdSchema.optional(),
});

/** Feeds a user's new alerts: those after lastEventId, or from now on; woken by the alert hub, read from the user's log. */
async function* alertFeed(ctx: Context, userId: string, lastEventId: string | undefined, signal: AbortSignal) {
  let wake: (() => void) | undefined;
  let woken = true;
  const stop = ctx.services.alertHub.listen(userId, () => {
    woken = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    // Listening first, then the position: an alert in between is on the log after it.
    let lastId = lastEventId ?? (await ctx.services.alerts.lastEventId(userId)) ?? '0-0';
    while (!signal.aborted) {
      if (!woken) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      woken = false;
      for (const { eventId, alert } of await ctx.services.alerts.readLog(userId, lastId)) {
        if (signal.aborted) return;
        lastId = eventId;
        yield tracked(eventId, alert);
      }
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    stop();
  }
}

export const alertsRouter = router({
  createRule: authedProcedure.input(ruleSchema).mutation(async ({ ctx, input }) => {
    if (input.webhook_url !== undefined) {
      try {
        await checkWebhookUrl(input.webhook_url, ctx.services.config.ALERT_WEBHOOK_ALLOW_PRIVATE);
      } catch (error) {
        if (error instanceof WebhookUrlRefused) throw new TRPCError({ code: 'BAD_REQUEST', message: error.message });
        throw error;
      }
    }
    const { user_id: _claimed, webhook_url, ...criteria } = input;
    const { rule, secret } = await ctx.services.alerts.createRule(ctx.user.id, {
      ...criteria,
      webhook_url: webhook_url ?? null,
    });
    return { ...rule, webhook_secret: webhook_url === undefined ? null : secret };
  }),

  rules: authedProcedure
    .input(z.object({ user_id: userIdSchema.optional() }).optional())
    .query(async ({ ctx }) => ({ rules: await ctx.services.alerts.rules(ctx.user.id) })),

  deleteRule: authedProcedure
    .input(z.object({ rule_id: ruleIdSchema, user_id: userIdSchema.optional() }))
    .mutation(async ({ ctx, input }) => {
      if (!(await ctx.services.alerts.deleteRule(ctx.user.id, input.rule_id)))
        throw new TRPCError({ code: 'NOT_FOUND', message: `rule_id: no rule ${input.rule_id} for this user` });
      return { rule_id: input.rule_id, deleted: true };
    }),

  list: authedProcedure
    .input(
      z
        .object({
          rule_id: ruleIdSchema.optional(),
          symbol: symbolSchema.optional(),
          interval: intervalSchema.optional(),
          delivery: z.enum(DELIVERY_STATES).optional(),
          limit: z.number().int().min(1).max(100).default(20),
          user_id: userIdSchema.optional(),
        })
        .default({ limit: 20 }),
    )
    .query(async ({ ctx, input }) => {
      ctx.responseBudget.take(input.limit);
      return { alerts: await ctx.services.alerts.list(ctx.user.id, input) };
    }),

  subscribe: authedProcedure
    .input(z.object({ lastEventId: lastEventIdSchema, user_id: userIdSchema.optional() }).default({}))
    .subscription(async function* ({ ctx, input, signal }) {
      const release = ctx.services.subscriptions.acquire(ctx.connection, ctx.user.id);
      try {
        yield* alertFeed(ctx, ctx.user.id, input.lastEventId ?? undefined, signal ?? new AbortController().signal);
      } finally {
        release();
      }
    }),
});
