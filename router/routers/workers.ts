/** workers.*: the live worker processes, their heartbeats and metrics (admin only). */
import { listWorkers } from '../../storage/workerRegistry.js';
import { adminProcedure, router } from '../trpc.js';

export const workersRouter = router({
  list: adminProcedure.query(async ({ ctx }) => ({
    workers: await listWorkers(ctx.services.redis, ctx.services.keys),
  })),
});
