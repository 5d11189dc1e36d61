/** The application router: one router per domain. */
import { router } from '../trpc.js';
import { alertsRouter } from './alerts.js';
import { analysisRouter } from './analysis.js';
import { queueRouter } from './queue.js';
import { scansRouter } from './scans.js';
import { schedulesRouter } from './schedules.js';
import { workersRouter } from './workers.js';

export const appRouter = router({
  analysis: analysisRouter,
  queue: queueRouter,
  scans: scansRouter,
  schedules: schedulesRouter,
  alerts: alertsRouter,
  workers: workersRouter,
});

export type AppRouter = typeof appRouter;
