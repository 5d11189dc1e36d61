/**
 * What actors see of the node supervisor's circuit breakers: they report each dependency's
 * outcomes (the supervisor counts them) and ask before calling one that may be open. The
 * supervisor implements it (supervisors/circuitBoard.ts); actors never hold breaker state.
 */
export const DEPENDENCIES = ['market-data', 'llm', 'store'] as const;
export type Dependency = (typeof DEPENDENCIES)[number];

export type { CircuitState } from '../pipeline/circuitBreaker.js';

export interface DependencyGate {
  /** Whether a call may go out now: closed yes, open no, half-open once (the trial). */
  allows(dependency: Dependency): boolean;
  /** The outcome of one call: true it worked, false it failed in a way worth counting. */
  report(dependency: Dependency, ok: boolean): void;
}

/** No breakers: everything allowed, nothing counted (benchmarks, tests of other parts). */
export const openGate: DependencyGate = { allows: () => true, report: () => undefined };
