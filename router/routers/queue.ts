/** queue.*: statistics of the job stream. */
import { authedProcedure, router } from '../trpc.js';

export const queueRouter = router({
  stats: authedProcedure.query(({ ctx }) => ctx.services.queue.stats()),
});
