/**
 * What actors see of the node supervisor's circuit breakers: they report each dependency's
 * outcomes (the supervisor counts them) and ask before calling one that may be open. Both are
 * messages to the supervisor, which alone holds breaker state.
 */
export const DEPENDENCIES = ['market-data', 'llm', 'store'] as const;
export type Dependency = (typeof DEPENDENCIES)[number];

export interface DependencyGate {
  /** Whether a call may go out now: closed yes, open no, half-open once (the trial); no answer in time counts as no. */
  permit(dependency: Dependency): Promise<boolean>;
  /** The outcome of one call: true it worked, false it failed in a way worth counting. */
  report(dependency: Dependency, ok: boolean): void;
}

/** No breakers: everything allowed, nothing counted (benchmarks, tests of other parts). */
export const openGate: DependencyGate = { permit: async () => true, report: () => undefined };
