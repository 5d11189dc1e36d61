/**
 * What the summary stage asks before calling the LLM and tells after: a circuit breaker seen
 * from one dependency. A worker passes its node supervisor's LLM breaker; an API analysis
 * thread keeps one of its own (`createBreakerGate`), on the same pure state machine.
 */
import {
  type CircuitBreaker,
  type CircuitSettings,
  type CircuitState,
  closedBreaker,
  elapse,
  recordFailure,
  recordSuccess,
  tryPass,
} from './circuitBreaker.js';

export interface LlmGate {
  /** Whether a call may go out now: closed yes, open no, half-open once (the trial). A worker's gate asks its supervisor, hence async. */
  permit(): Promise<boolean>;
  /** The outcome of one call that went out (an aborted call is not reported). */
  report(ok: boolean): void;
}

export interface BreakerChange {
  from: CircuitState;
  to: CircuitState;
  consecutiveFailures: number;
}

/** A breaker owned by its caller alone; time passes when it is asked, so it needs no timer. */
export function createBreakerGate(
  settings: CircuitSettings,
  now: () => number,
  onChange: (change: BreakerChange) => void,
): LlmGate {
  let breaker: CircuitBreaker = closedBreaker;
  const apply = (next: CircuitBreaker) => {
    const from = breaker.state;
    breaker = next;
    if (from !== next.state) onChange({ from, to: next.state, consecutiveFailures: next.consecutiveFailures });
  };
  return {
    permit() {
      apply(elapse(breaker, now(), settings));
      const { breaker: next, allowed } = tryPass(breaker);
      breaker = next;
      return Promise.resolve(allowed);
    },
    report(ok) {
      apply((ok ? recordSuccess : recordFailure)(breaker, now(), settings));
    },
  };
}
