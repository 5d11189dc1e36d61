/** Inputs of scans.* (and of schedules, which run the same request on every candle close). */
import { z } from 'zod';
import { MAX_CANDLES, candleCount } from '../../analysis/intervals.js';
import { SCAN_ID } from '../../storage/scans/scanId.js';
import { intervalSchema, symbolSchema, timeframeSchema, userIdSchema } from '../schemas.js';

export const MAX_SCAN_SYMBOLS = 200;
export const MAX_SCAN_INTERVALS = 6;

const unique = <T>(values: readonly T[]) => new Set(values).size === values.length;

export const scanRequestSchema = z
  .object({
    symbols: z
      .array(symbolSchema)
      .min(1, 'symbols: at least one symbol')
      .max(MAX_SCAN_SYMBOLS, `symbols: at most ${MAX_SCAN_SYMBOLS}`)
      .refine(unique, 'symbols: each symbol once'),
    intervals: z
      .array(intervalSchema)
      .min(1, 'intervals: at least one interval')
      .max(MAX_SCAN_INTERVALS, `intervals: at most ${MAX_SCAN_INTERVALS}`)
      .refine(unique, 'intervals: each interval once'),
    timeframe: timeframeSchema.default('7d'),
    user_id: userIdSchema.optional(),
  })
  .superRefine((request, context) => {
    for (const interval of request.intervals) {
      const count = candleCount(interval, request.timeframe);
      if (count === undefined) continue;
      if (count < 1 || count > MAX_CANDLES)
        context.addIssue({
          code: 'custom',
          path: ['timeframe'],
          message: `timeframe ${request.timeframe} at ${interval} is ${count} candles; between 1 and ${MAX_CANDLES} are allowed`,
        });
    }
  });

export const scanIdSchema = z.string().regex(SCAN_ID, 'scan_id must look like scan_01J...');
export const scanLookupSchema = z.object({ scan_id: scanIdSchema, user_id: userIdSchema.optional() });
