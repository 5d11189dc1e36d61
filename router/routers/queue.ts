/** queue.*: statistics of the job stream; dead letters and their replay (admin). */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { createPartitionedDeadLetters } from '../../storage/partitionedStores.js';
import { analysisIdSchema, userIdSchema } from '../schemas.js';
import { adminProcedure, authedProcedure, router } from '../trpc.js';

export const queueRouter = router({
  stats: authedProcedure
    .input(z.object({ user_id: userIdSchema.optional() }).optional())
    .query(({ ctx }) => ctx.services.queue.stats()),
  /** Jobs on the dead-letter stream, each with its attempt history. */
  deadLetters: adminProcedure
    .input(
      z.object({ limit: z.number().int().min(1).max(10_000).optional(), user_id: userIdSchema.optional() }).optional(),
    )
    .query(({ ctx, input }) =>
      createPartitionedDeadLetters(ctx.services.redis, ctx.services.keys).list({ limit: input?.limit }),
    ),
  /** Queues one dead-lettered job (or all) again: fresh attempts, history kept. */
  replay: adminProcedure
    .input(
      z
        .object({
          analysis_id: analysisIdSchema.optional(),
          all: z.literal(true).optional(),
          user_id: userIdSchema.optional(),
        })
        .refine(
          (input) => (input.analysis_id === undefined) !== (input.all === undefined),
          'give analysis_id or all: true',
        ),
    )
    .mutation(async ({ ctx, input }) => {
      const deadLetters = createPartitionedDeadLetters(ctx.services.redis, ctx.services.keys);
      if (input.all) return deadLetters.replayAll();
      const result = await deadLetters.replay(input.analysis_id!);
      if (!result)
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: `analysis_id: ${input.analysis_id} is not on the dead-letter stream`,
        });
      return [result];
    }),
});
