/** How a consumer starts the actor that runs one claimed job: the analysis, or a no-op for benchmarks. */
import type { ActorParent, ActorRef } from './typedActor.js';
import type { JobActorOptions, JobMessage } from './jobActor.js';

export type JobActorFactory = (parent: ActorParent, options: JobActorOptions) => ActorRef<JobMessage>;
