/** What a job actor and its children need from the outside world, injected by the worker node. */
import type { PipelineServices } from '../pipeline/pipelineServices.js';
import type { StageThreads } from '../pipeline/stageThreads.js';
import type { DependencyGate } from './dependencyGate.js';

export interface JobServices extends ExternalServices {
  /** The node's circuit breakers: consulted before the LLM, told every dependency outcome. */
  dependencies: DependencyGate;
}

/** The services a worker process builds from its configuration; the supervisor adds the gate. */
export interface ExternalServices extends PipelineServices {
  /**
   * Threads for the CPU-heavy stages (patterns, chart), so they never stall the event loop
   * that refreshes claims. Absent (tests, benchmarks): the stages run inline.
   */
  stageThreads?: StageThreads;
}
