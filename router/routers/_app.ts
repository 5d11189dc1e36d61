/** The application router: one router per domain. */
import { router } from '../trpc.js';
import { analysisRouter } from './analysis.js';
import { queueRouter } from './queue.js';

export const appRouter = router({
  analysis: analysisRouter,
  queue: queueRouter,
});

export type AppRouter = typeof appRouter;
