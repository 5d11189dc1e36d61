/**
 * A circuit breaker as a pure state machine: `closed` counts consecutive failures and opens
 * at the threshold; `open` refuses until the reset timeout has passed on the injected clock,
 * then is `half-open` and lets one trial through; the trial's success closes it, its failure
 * opens it again. Time comes in as `now`, so it is tested without real waiting. It lives
 * beside the analysis stages because two owners run it: the worker's node supervisor (one
 * breaker per dependency) and each immediate-analysis thread of the API (its own LLM breaker).
 */
import type { Config } from '../config/env.js';

import type { CircuitState } from '../storage/circuitState.js';

export type { CircuitState };

export interface CircuitSettings {
  failureThreshold: number;
  resetTimeoutMs: number;
}

export interface CircuitBreaker {
  readonly state: CircuitState;
  readonly consecutiveFailures: number;
  /** When it last opened (epoch ms); meaningful while open. */
  readonly openedAt: number;
  /** Half-open: the one trial has been let through and has not reported yet. */
  readonly trialInFlight: boolean;
}

export const closedBreaker: CircuitBreaker = {
  state: 'closed',
  consecutiveFailures: 0,
  openedAt: 0,
  trialInFlight: false,
};

const opened = (failures: number, now: number): CircuitBreaker => ({
  state: 'open',
  consecutiveFailures: failures,
  openedAt: now,
  trialInFlight: false,
});

/** Lets time pass: an open breaker whose reset timeout has run out becomes half-open. */
export function elapse(breaker: CircuitBreaker, now: number, settings: CircuitSettings): CircuitBreaker {
  if (breaker.state === 'open' && now - breaker.openedAt >= settings.resetTimeoutMs)
    return { ...breaker, state: 'half-open', trialInFlight: false };
  return breaker;
}

export function recordSuccess(breaker: CircuitBreaker, now: number, settings: CircuitSettings): CircuitBreaker {
  const current = elapse(breaker, now, settings);
  // While open, a late success of work started before it opened proves nothing.
  if (current.state === 'open') return current;
  return closedBreaker;
}

export function recordFailure(breaker: CircuitBreaker, now: number, settings: CircuitSettings): CircuitBreaker {
  const current = elapse(breaker, now, settings);
  switch (current.state) {
    case 'closed': {
      const failures = current.consecutiveFailures + 1;
      return failures >= settings.failureThreshold
        ? opened(failures, now)
        : { ...current, consecutiveFailures: failures };
    }
    case 'half-open':
      return opened(current.consecutiveFailures + 1, now);
    case 'open':
      return { ...current, consecutiveFailures: current.consecutiveFailures + 1 };
  }
}

/**
 * Asks to pass one call: always when closed, never when open, once (the trial) when half-open.
 * Time does not pass here: the owner calls `elapse` (from a timer), so that every change of
 * state goes through one place that logs and reports it.
 */
export function tryPass(breaker: CircuitBreaker): { breaker: CircuitBreaker; allowed: boolean } {
  const current = breaker;
  if (current.state === 'closed') return { breaker: current, allowed: true };
  if (current.state === 'half-open' && !current.trialInFlight)
    return { breaker: { ...current, trialInFlight: true }, allowed: true };
  return { breaker: current, allowed: false };
}

/** How long until an open breaker turns half-open (0 when it is not open). */
export function msUntilHalfOpen(breaker: CircuitBreaker, now: number, settings: CircuitSettings): number {
  return breaker.state === 'open' ? Math.max(0, breaker.openedAt + settings.resetTimeoutMs - now) : 0;
}

const SEVERITY: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

export function worstState(states: readonly CircuitState[]): CircuitState {
  return states.reduce<CircuitState>((worst, state) => (SEVERITY[state] > SEVERITY[worst] ? state : worst), 'closed');
}

/** ANALYSIS_CIRCUIT_FAILURE_THRESHOLD and ANALYSIS_CIRCUIT_RESET_TIMEOUT (seconds) as breaker settings. */
export function circuitSettingsFromConfig(
  config: Pick<Config, 'ANALYSIS_CIRCUIT_FAILURE_THRESHOLD' | 'ANALYSIS_CIRCUIT_RESET_TIMEOUT'>,
): CircuitSettings {
  return {
    failureThreshold: config.ANALYSIS_CIRCUIT_FAILURE_THRESHOLD,
    resetTimeoutMs: config.ANALYSIS_CIRCUIT_RESET_TIMEOUT * 1000,
  };
}
