/**
 * Whether a consumer may pull new jobs, as its supervisor decides from the circuit breakers:
 * `open` (pull freely), `trial` (one job at a time: a half-open breaker's trial), `paused`
 * (market data or the store is failing: leave the jobs to healthy workers).
 */
export type ConsumerGate = 'open' | 'trial' | 'paused';

/** How many more entries a consumer may claim now. */
export function roomFor(gate: ConsumerGate, batchSize: number, busy: number): number {
  switch (gate) {
    case 'open':
      return batchSize - busy;
    case 'trial':
      return 1 - busy;
    case 'paused':
      return 0;
  }
}
