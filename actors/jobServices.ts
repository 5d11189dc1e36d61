/** What a job actor and its children need from the outside world, injected by the worker node. */
import type { PipelineServices } from '../pipeline/pipelineServices.js';
import type { DependencyGate } from './dependencyGate.js';

export interface JobServices extends PipelineServices {
  /** The node's circuit breakers: consulted before the LLM, told every dependency outcome. */
  dependencies: DependencyGate;
}

/** The services a worker process builds from its configuration; the supervisor adds the gate. */
export type ExternalServices = PipelineServices;
