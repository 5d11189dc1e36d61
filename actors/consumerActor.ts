/**
 * One consumer of the `analysis-workers` group. It reads up to its batch size of entries,
 * claims them in one script, spawns a job actor per claimed job, keeps their claims fresh,
 * and finishes jobs in batches. It supervises its job actors: a retryable failure is ended
 * with a retry scheduled in Redis after a backoff (or, retries used up, a dead letter); a
 * permanent one is finished `failed` at once. Its own supervisor gates its pulling (circuit
 * breakers).
 *
 * Every decision is the pure consumerStep; this actor only runs the effects it returns.
 * Redis calls run as effects whose results come back as messages, so the actor never blocks
 * on I/O and always hears outcomes and cancels.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../config/logger.js';
import type { ConsumerQueue, StreamEntry } from '../storage/consumerQueue.js';
import { progressEvent } from '../storage/progressEvent.js';
import type { RedisClient } from '../storage/redisConnection.js';
import { noteClaimRefreshLateness } from './claimRefreshLateness.js';
import type { Clock } from './clock.js';
import {
  type ConsumerEffect,
  type ConsumerEvent,
  type ConsumerState,
  type ConsumerStatus,
  consumerStatus,
  consumerStep,
  initialConsumerState,
  type JobEnded,
  roomToReclaim,
  type StepContext,
} from './consumerStep.js';
import type { JobActorFactory } from './jobActorFactory.js';
import type { JobMessage } from './jobActor.js';
import type { JobOutcome } from './jobOutcome.js';
import { logRetryResult } from './jobRetry.js';
import type { JobServices } from './jobServices.js';
import { type ActorParent, type ActorRef, asParent, type ChildCrashed, send, spawnActor } from './typedActor.js';

export type { ConsumerStatus } from './consumerStep.js';

export type ConsumerMessage =
  | ConsumerEvent
  | { type: 'consumer.status'; replyTo: ActorRef<ConsumerStatus> }
  | { type: 'consumer.room'; replyTo: ActorRef<number> };

/** What a consumer tells its supervisor: it crashed, or, draining, it holds no work any more. */
export type ConsumerReport = ChildCrashed | { type: 'consumer.drained'; consumer: string };

/** What a consumer tells the node's heartbeat (its metrics) of each job it ended. */
export type JobFinishedReport = {
  type: 'jobs.finished';
  jobs: readonly { status: JobOutcome['status']; durationMs: number }[];
};

export interface ConsumerOptions {
  name: string;
  queue: ConsumerQueue;
  /** A connection of its own: XREADGROUP BLOCK holds it. */
  blockingRedis: RedisClient;
  batchSize: number;
  blockMs: number;
  claimRefreshMs: number;
  services: JobServices;
  spawnJob: JobActorFactory;
  clock: Clock;
  log: Logger;
  /** ANALYSIS_MAX_RETRIES, and the backoff before retry number `retriesSoFar + 1`. */
  maxRetries: number;
  retryDelayMs: (retriesSoFar: number, random: number, retryAfterMs?: number) => number;
  jobTimeoutMs: number;
  metrics: ActorRef<JobFinishedReport>;
  /** Hears of this actor's crash (after which it is stopped) and of the end of its drain. */
  supervisor: ActorRef<ConsumerReport>;
}

/** Written out rather than spread: a spread copy per job costs V8 about a microsecond. */
const withOwnerToken = ({ entryId, analysisId, fresh, readAt }: StreamEntry, ownerToken: string): StreamEntry =>
  fresh === true && readAt !== undefined
    ? { entryId, analysisId, fresh, readAt, ownerToken }
    : { entryId, analysisId, ownerToken };

export function spawnConsumerActor(parent: ActorParent, options: ConsumerOptions): ActorRef<ConsumerMessage> {
  const { queue, clock, log, name } = options;
  /** Job actors by analysis id: refs are the shell's business, not the pure state's. */
  const jobActors = new Map<string, ActorRef<JobMessage>>();
  /** Owner tokens of jobs claimed again while running (rare): their progress writes use the newest. */
  const reowned = new Map<string, string>();
  const context: StepContext = {
    name,
    batchSize: options.batchSize,
    claimRefreshMs: options.claimRefreshMs,
    maxRetries: options.maxRetries,
    retryDelayMs: options.retryDelayMs,
  };
  // Unique as a UUID per claim (one random UUID per incarnation of this actor, and a count),
  // without a UUID's cost per job.
  const tokenPrefix = `${name}:${randomUUID()}:`;
  let tokensMade = 0;
  const ownerTokenFor = () => `${tokenPrefix}${(tokensMade += 1)}`;
  const tokenOf = (entry: StreamEntry) => entry.ownerToken ?? ownerTokenFor();
  /** Jobs the current step ended, for the heartbeat's metrics. */
  const finished: { status: JobOutcome['status']; durationMs: number }[] = [];
  /**
   * Outcomes not yet told: job actors that end in the same turn of the event loop (a batch
   * started together) are told in one message, so their finishes form one batch and the
   * freed slots one read.
   */
  let endedJobs: JobEnded[] = [];
  const tellOutcome = (self: ActorRef<ConsumerMessage>, job: JobEnded) => {
    if (endedJobs.push(job) > 1) return;
    setImmediate(() => {
      const outcomes = endedJobs;
      endedJobs = [];
      send(self, { type: 'job.outcomes', outcomes });
    });
  };
  /** When the next claim refresh is due (epoch ms), to tell how late it ran. */
  let refreshDueAt: number | undefined;
  const reply = <T>(
    self: ActorRef<ConsumerMessage>,
    work: Promise<T>,
    onOk: (value: T) => ConsumerEvent,
    onError: (error: Error) => ConsumerEvent,
  ) =>
    work.then(
      (value) => send(self, onOk(value)),
      (error: Error) => send(self, onError(error)),
    );

  function run(effect: ConsumerEffect, self: ActorRef<ConsumerMessage>): void {
    switch (effect.type) {
      case 'read':
        return void reply(
          self,
          queue.readNew(options.blockingRedis, name, effect.count, options.blockMs),
          (entries) => ({ type: 'entries.read', entries }),
          (error) => ({ type: 'read.failed', error }),
        );
      case 'readOwnPending':
        return void reply(
          self,
          queue.readOwnPending(options.blockingRedis, name, options.batchSize * 10),
          (entries) => ({ type: 'entries.reclaimed', entries }),
          (error) => ({ type: 'read.failed', error }),
        );
      case 'claim': {
        // Tokens chosen before the call, so a claim that fails (its reply perhaps lost) is retried with them.
        const entries = effect.entries.map((entry) =>
          entry.ownerToken === undefined ? withOwnerToken(entry, ownerTokenFor()) : entry,
        );
        return void reply(
          self,
          queue.claimBatch(entries, tokenOf, name),
          (report) => ({ type: 'jobs.claimed', report, entries: effect.entries }),
          (error) => ({ type: 'claim.failed', entries, error }),
        );
      }
      case 'startJob': {
        const analysisId = effect.job.record.analysis_id;
        const ownerToken = effect.job.ownerToken;
        const actor = options.spawnJob(asParent(self), {
          record: effect.job.record,
          services: options.services,
          reportProgress: (stage, fraction, message) =>
            queue.appendProgress(
              analysisId,
              reowned.get(analysisId) ?? ownerToken,
              progressEvent('processing', stage, fraction, message),
            ),
          onOutcome: (outcome) => {
            // Given up at shutdown, not crashed: the run must not count toward the poison limit.
            if (outcome.status === 'abandoned' && outcome.reason === 'shutdown')
              queue
                .releaseRun(analysisId, reowned.get(analysisId) ?? ownerToken)
                .catch((error: unknown) => log.warn({ err: error, analysisId }, 'could not release an abandoned run'));
            jobActors.delete(analysisId);
            if (reowned.size > 0) reowned.delete(analysisId);
            tellOutcome(self, { analysisId, outcome });
          },
          timeoutMs: options.jobTimeoutMs,
          clock,
        });
        jobActors.set(analysisId, actor);
        return send(actor, { type: 'job.start' });
      }
      case 'abortJob': {
        const actor = jobActors.get(effect.analysisId);
        if (actor) send(actor, { type: 'job.abort', reason: effect.reason });
        return;
      }
      case 'finish':
        return void reply(
          self,
          queue.finishWithStatus(effect.requests),
          (statuses) => ({ type: 'jobs.finished', requests: effect.requests, statuses }),
          (error) => ({ type: 'finish.failed', requests: effect.requests, error }),
        );
      case 'retry':
        return void reply(
          self,
          queue.retry(effect.request),
          (result) => ({ type: 'job.retried', request: effect.request, result }),
          (error) => ({ type: 'retry.failed', request: effect.request, error }),
        );
      case 'refreshClaims':
        queue.refreshClaimStates(name, effect.jobs).then(
          (claims) =>
            send(self, {
              type: 'claims.checked',
              checked: effect.jobs.map((job, index) => ({ analysisId: job.analysisId, claim: claims[index]! })),
            }),
          (error: Error) => log.warn({ err: error, consumer: name }, 'could not refresh job claims; will try again'),
        );
        return;
      case 'later':
        if (effect.message.type === 'claims.refresh') refreshDueAt = clock.now() + effect.ms;
        clock.after(effect.ms, () => send(self, effect.message));
        return;
      case 'reportStore':
        return options.services.dependencies.report('store', effect.ok);
      case 'jobFinished':
        // Told after the step, all of it in one message: one per job was a share of the worker's CPU per job.
        finished.push({ status: effect.status, durationMs: effect.durationMs });
        return;
      case 'reowned':
        reowned.set(effect.analysisId, effect.ownerToken);
        return;
      case 'drained':
        return send(options.supervisor, { type: 'consumer.drained', consumer: name });
      case 'retryResult':
        return logRetryResult(log, name, effect.request, effect.result, clock.now());
      case 'log':
        return log[effect.level](effect.fields, effect.message);
    }
  }

  return spawnActor<ConsumerState, ConsumerMessage>(parent, {
    name,
    initialState: initialConsumerState,
    receive(state, message, self) {
      if (message.type === 'consumer.status') {
        send(message.replyTo, consumerStatus(state, name));
        return state;
      }
      if (message.type === 'consumer.room') {
        send(message.replyTo, roomToReclaim(state, options.batchSize));
        return state;
      }
      if (message.type === 'claims.refresh' && refreshDueAt !== undefined)
        noteClaimRefreshLateness(log, name, clock.now() - refreshDueAt, options.claimRefreshMs);
      const step = consumerStep(state, message, context, { now: clock.now(), random: Math.random() });
      for (const effect of step.effects) run(effect, self);
      if (finished.length > 0) send(options.metrics, { type: 'jobs.finished', jobs: finished.splice(0) });
      return step.state;
    },
    supervisor: options.supervisor,
  });
}
