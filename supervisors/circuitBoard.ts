/**
 * The node supervisor's circuit breakers, one per dependency. The supervisor actor records
 * outcomes and lets time pass; a change is returned so the supervisor can log it, tell the
 * heartbeat and gate its consumers. `tryPass` is also read synchronously by summary actors
 * (the LLM gate): JavaScript runs one callback at a time, so the board never sees two
 * writers at once, and a half-open breaker still lets exactly one trial through.
 */
import type { Clock } from '../actors/clock.js';
import { DEPENDENCIES, type Dependency } from '../actors/dependencyGate.js';
import {
  type CircuitBreaker,
  type CircuitSettings,
  type CircuitState,
  closedBreaker,
  elapse,
  msUntilHalfOpen,
  recordFailure,
  recordSuccess,
  tryPass,
  worstState,
} from '../pipeline/circuitBreaker.js';

export { DEPENDENCIES, type Dependency };

export interface CircuitChange {
  dependency: Dependency;
  from: CircuitState;
  to: CircuitState;
  consecutiveFailures: number;
  /** For a change to open: when to look again (half-open). */
  retryInMs: number;
}

export type CircuitSnapshot = Record<Dependency, CircuitState>;

export interface CircuitBoard {
  record(dependency: Dependency, ok: boolean): CircuitChange | undefined;
  /** Time passing (a timer armed when a breaker opened). */
  elapse(dependency: Dependency): CircuitChange | undefined;
  /** How long until an open breaker may half-open (0 when it is not open). */
  msUntilHalfOpen(dependency: Dependency): number;
  tryPass(dependency: Dependency): boolean;
  state(dependency: Dependency): CircuitState;
  snapshot(): CircuitSnapshot;
  worst(): CircuitState;
}

export function createCircuitBoard(settings: CircuitSettings, clock: Clock): CircuitBoard {
  const breakers = new Map<Dependency, CircuitBreaker>(DEPENDENCIES.map((dependency) => [dependency, closedBreaker]));
  const get = (dependency: Dependency) => breakers.get(dependency) ?? closedBreaker;

  function apply(dependency: Dependency, next: CircuitBreaker): CircuitChange | undefined {
    const before = get(dependency);
    breakers.set(dependency, next);
    if (before.state === next.state) return undefined;
    return {
      dependency,
      from: before.state,
      to: next.state,
      consecutiveFailures: next.consecutiveFailures,
      retryInMs: msUntilHalfOpen(next, clock.now(), settings),
    };
  }

  const snapshot = (): CircuitSnapshot => ({
    'market-data': get('market-data').state,
    llm: get('llm').state,
    store: get('store').state,
  });

  return {
    record: (dependency, ok) =>
      apply(dependency, (ok ? recordSuccess : recordFailure)(get(dependency), clock.now(), settings)),
    elapse: (dependency) => apply(dependency, elapse(get(dependency), clock.now(), settings)),
    msUntilHalfOpen: (dependency) => msUntilHalfOpen(get(dependency), clock.now(), settings),
    tryPass(dependency) {
      const { breaker, allowed } = tryPass(get(dependency));
      breakers.set(dependency, breaker);
      return allowed;
    },
    state: (dependency) => get(dependency).state,
    snapshot,
    worst: () => worstState(Object.values(snapshot())),
  };
}
