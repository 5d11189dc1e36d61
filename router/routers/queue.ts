/** queue.*: statistics of the job stream. Dead letters and replay come with storage/deadLetters.ts. */
import { authedProcedure, router } from '../trpc.js';

export const queueRouter = router({
  stats: authedProcedure.query(({ ctx }) => ctx.services.queue.stats()),
});
