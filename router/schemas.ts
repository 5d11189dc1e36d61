/** Input fields shared by the tRPC procedures and the REST routes; messages name the field and what it allows. */
import { z } from 'zod';
import { INTERVALS, MAX_CANDLES, candleCount } from '../analysis/intervals.js';

export const symbolSchema = z
  .string()
  .regex(/^[A-Z0-9]{2,20}$/, 'symbol must be 2-20 upper-case letters or digits, e.g. BTCUSDT');
export const intervalSchema = z.enum(INTERVALS, { error: `interval must be one of ${INTERVALS.join(', ')}` });
export const timeframeSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,5}(m|h|d|w|M|y)$/, 'timeframe must be a number and a unit (m h d w M y), e.g. 7d');
export const analysisIdSchema = z
  .string()
  .regex(/^analysis_[0-9A-HJKMNP-TV-Z]{26}(-p[1-9][0-9]{0,3})?$/, 'analysis_id must look like analysis_01J...');
export const userIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'user_id must be 1-64 letters, digits or _ . @ -');
export const idempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'idempotency_key must be 1-128 letters, digits or _ . : -');

export const analysisRequestSchema = z
  .object({
    symbol: symbolSchema,
    interval: intervalSchema,
    timeframe: timeframeSchema.default('7d'),
    user_id: userIdSchema.optional(),
    idempotency_key: idempotencyKeySchema.optional(),
  })
  .superRefine((request, context) => {
    const count = candleCount(request.interval, request.timeframe);
    if (count === undefined) return;
    if (count < 1)
      context.addIssue({
        code: 'custom',
        path: ['timeframe'],
        message: `timeframe ${request.timeframe} is shorter than one ${request.interval} candle`,
      });
    if (count > MAX_CANDLES)
      context.addIssue({
        code: 'custom',
        path: ['timeframe'],
        message: `timeframe ${request.timeframe} at ${request.interval} is ${count} candles; at most ${MAX_CANDLES} are allowed`,
      });
  });

export type AnalysisRequest = z.infer<typeof analysisRequestSchema>;

export const jobLookupSchema = z.object({ analysis_id: analysisIdSchema, user_id: userIdSchema.optional() });

/** One page of the caller's own records (scans, schedules): `user_id`, when given, must be the caller. */
export const ownPageSchema = z
  .object({
    user_id: userIdSchema.optional(),
    limit: z.number().int().min(1).max(100).default(20),
    offset: z.number().int().min(0).max(1_000_000).default(0),
  })
  .default({ limit: 20, offset: 0 });
