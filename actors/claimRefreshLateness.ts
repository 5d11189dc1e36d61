/**
 * How late a consumer's claim refresh ran. A refresh that comes more than a whole period late
 * means the event loop was stalled (CPU starvation, a long synchronous task): past the claim
 * timeout another worker takes the job over. Counted and logged, so a stall is seen before it
 * turns into takeovers.
 */
import { Counter } from 'prom-client';
import type { Logger } from '../config/logger.js';

/** Not in any registry by itself: the worker metrics server registers it in its own. */
export const lateClaimRefreshes = new Counter({
  name: 'candela_worker_late_claim_refreshes_total',
  help: 'Claim refreshes that ran more than one refresh period after they were due (event-loop stalls)',
  registers: [],
});

export function noteClaimRefreshLateness(log: Logger, consumer: string, lateMs: number, periodMs: number): void {
  if (lateMs <= periodMs) return;
  lateClaimRefreshes.inc();
  log.warn(
    { consumer, lateMs: Math.round(lateMs), periodMs },
    'claim refresh ran late (event loop stalled); jobs may be taken over by other workers',
  );
}
