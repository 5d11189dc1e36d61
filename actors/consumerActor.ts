/**
 * One consumer of the `analysis-workers` group. It reads up to its batch size of entries,
 * claims them in one script, spawns a job actor per claimed job, keeps their claims fresh,
 * and finishes jobs in batches. It supervises its job actors: a retryable failure is ended
 * with a retry scheduled in Redis after a backoff (or, retries used up, a dead letter); a
 * permanent one is finished `failed` at once. Its own supervisor gates its pulling (circuit
 * breakers). Redis calls run as effects whose results come back as messages, so the actor
 * never blocks on I/O and always hears outcomes and cancels.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../config/logger.js';
import type { ClaimedJob, ClaimReport, ConsumerQueue, FinishRequest, RetryRequest, RetryResult, StreamEntry } from '../storage/consumerQueue.js';
import { progressEvent } from '../storage/progressEvent.js';
import type { RedisClient } from '../storage/redisConnection.js';
import type { Clock } from './clock.js';
import { type ConsumerGate, roomFor } from './consumerGate.js';
import type { JobActorFactory } from './jobActorFactory.js';
import type { JobMessage } from './jobActor.js';
import type { JobOutcome } from './jobOutcome.js';
import type { JobServices } from './jobServices.js';
import { finishRequestFor } from './finishRequestFor.js';
import { logRetryResult, retryRequestFor } from './jobRetry.js';
import { type ActorParent, type ActorRef, asParent, send, spawnActor } from './typedActor.js';

export interface ConsumerStatus {
  name: string;
  /** Jobs, claims, reads and finishes under way; 0 means drained. */
  busy: number;
  draining: boolean;
}

export type ConsumerMessage =
  | { type: 'consumer.start' }
  | { type: 'consumer.poll' }
  | { type: 'entries.read'; entries: StreamEntry[] }
  | { type: 'entries.reclaimed'; entries: StreamEntry[] }
  | { type: 'read.failed'; error: Error }
  | { type: 'jobs.claimed'; report: ClaimReport; requested: number }
  | { type: 'claim.failed'; entries: StreamEntry[]; error: Error }
  | { type: 'job.outcome'; analysisId: string; outcome: JobOutcome }
  | { type: 'jobs.finished'; requests: FinishRequest[]; statuses: (FinishRequest['status'] | undefined)[] }
  | { type: 'retry.request'; request: RetryRequest }
  | { type: 'job.retried'; request: RetryRequest; result: RetryResult }
  | { type: 'retry.failed'; request: RetryRequest; error: Error }
  | { type: 'consumer.gate'; gate: ConsumerGate }
  | { type: 'finish.failed'; requests: FinishRequest[]; error: Error }
  | { type: 'claims.refresh' }
  | { type: 'job.cancel'; analysisId: string }
  | { type: 'consumer.drain' }
  | { type: 'consumer.abortAll' }
  | { type: 'consumer.status'; replyTo: ActorRef<ConsumerStatus> };

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
  retryDelayMs(retriesSoFar: number, retryAfterMs?: number): number;
  jobTimeoutMs: number;
  onJobFinished(outcome: JobOutcome['status'], durationMs: number): void;
  /** The supervisor's ear: a crash of this actor, after which it is stopped. */
  onCrash(error: Error): void;
}

interface InFlightJob {
  actor: ActorRef<JobMessage>;
  entryId: string;
  ownerToken: string;
  startedAt: number;
  attempts: number;
  finishing: boolean;
}

interface ConsumerState {
  gate: ConsumerGate;
  reading: boolean;
  /** Entries the outstanding read may still bring. */
  readCount: number;
  claiming: number;
  draining: boolean;
  flushing: boolean;
  backlog: StreamEntry[];
  toFinish: FinishRequest[];
  inFlight: Map<string, InFlightJob>;
}

const RETRY_AFTER_ERROR_MS = 1000;

export function spawnConsumerActor(parent: ActorParent, options: ConsumerOptions): ActorRef<ConsumerMessage> {
  const { queue, clock, log } = options;
  const ownerTokenFor = () => `${options.name}:${randomUUID()}`;
  // A job whose outcome is only waiting for its finish (or retry) write has done its work:
  // it does not hold a slot, so the next read overlaps the acknowledgement round trip.
  const running = (state: ConsumerState) => {
    let count = 0;
    for (const job of state.inFlight.values()) if (!job.finishing) count += 1;
    return count;
  };
  const capacity = (state: ConsumerState) => roomFor(state.gate, options.batchSize, running(state) + state.claiming);
  const reportStore = (ok: boolean) => options.services.dependencies.report('store', ok);

  function claim(state: ConsumerState, entries: StreamEntry[], self: ActorRef<ConsumerMessage>): ConsumerState {
    queue.claimBatch(entries, ownerTokenFor, options.name).then(
      (report) => send(self, { type: 'jobs.claimed', report, requested: entries.length }),
      (error: Error) => send(self, { type: 'claim.failed', entries, error }),
    );
    return { ...state, claiming: state.claiming + entries.length };
  }

  function poll(state: ConsumerState, self: ActorRef<ConsumerMessage>): ConsumerState {
    // Taken-over entries are claimed at once, beside a blocked read: left waiting, they would
    // idle past the claim timeout and be taken over (and counted as delivered) again.
    const room = capacity(state) - state.readCount;
    if (room <= 0) return state;
    if (state.backlog.length > 0) {
      return claim({ ...state, backlog: state.backlog.slice(room) }, state.backlog.slice(0, room), self);
    }
    if (state.draining || state.reading) return state;
    options.queue.readNew(options.blockingRedis, options.name, room, options.blockMs).then(
      (entries) => send(self, { type: 'entries.read', entries }),
      (error: Error) => send(self, { type: 'read.failed', error }),
    );
    return { ...state, reading: true, readCount: room };
  }

  function startJob(state: ConsumerState, job: ClaimedJob, self: ActorRef<ConsumerMessage>): void {
    const analysisId = job.record.analysis_id;
    const actor = options.spawnJob(asParent(self), {
      record: job.record,
      services: options.services,
      reportProgress: (stage, fraction, message) => queue.appendProgress(analysisId, job.ownerToken, progressEvent('processing', stage, fraction, message)),
      onOutcome: (outcome) => send(self, { type: 'job.outcome', analysisId, outcome }),
      timeoutMs: options.jobTimeoutMs,
      clock,
    });
    state.inFlight.set(analysisId, { actor, entryId: job.entryId, ownerToken: job.ownerToken, startedAt: clock.now(), attempts: job.record.attempts, finishing: false });
    send(actor, { type: 'job.start' });
  }

  function flush(state: ConsumerState, self: ActorRef<ConsumerMessage>): ConsumerState {
    if (state.flushing || state.toFinish.length === 0) return state;
    const requests = state.toFinish;
    queue.finishWithStatus(requests).then(
      (statuses) => send(self, { type: 'jobs.finished', requests, statuses }),
      (error: Error) => send(self, { type: 'finish.failed', requests, error }),
    );
    return { ...state, flushing: true, toFinish: [] };
  }

  function refreshClaims(state: ConsumerState, self: ActorRef<ConsumerMessage>): void {
    const jobs = [...state.inFlight].filter(([, job]) => !job.finishing).map(([analysisId, job]) => ({ analysisId, ...job }));
    queue.refreshClaimStates(options.name, jobs).then(
      (claims) =>
        claims.forEach((claim, index) => {
          // A cancel request whose pub/sub message never reached this node still lands here.
          if (claim === 'cancel-requested') send(jobs[index]!.actor, { type: 'job.abort', reason: 'cancelled' });
          else if (claim === 'lost') send(jobs[index]!.actor, { type: 'job.abort', reason: 'ownership-lost' });
        }),
      (error: Error) => log.warn({ err: error, consumer: options.name }, 'could not refresh job claims; will try again'),
    );
    clock.after(options.claimRefreshMs, () => send(self, { type: 'claims.refresh' }));
  }

  function scheduleRetry(request: RetryRequest, self: ActorRef<ConsumerMessage>): void {
    queue.retry(request).then(
      (result) => send(self, { type: 'job.retried', request, result }),
      (error: Error) => send(self, { type: 'retry.failed', request, error }),
    );
  }

  const initialState: ConsumerState = { gate: 'open', reading: false, readCount: 0, claiming: 0, draining: false, flushing: false, backlog: [], toFinish: [], inFlight: new Map() };

  return spawnActor<ConsumerState, ConsumerMessage>(parent, {
    name: options.name,
    initialState,
    receive(state, message, self) {
      switch (message.type) {
        case 'consumer.start':
          clock.after(options.claimRefreshMs, () => send(self, { type: 'claims.refresh' }));
          // Entries this consumer name already holds (an actor restarted by its supervisor) come first.
          queue.readOwnPending(options.blockingRedis, options.name, options.batchSize * 10).then(
            (entries) => send(self, { type: 'entries.reclaimed', entries }),
            (error: Error) => send(self, { type: 'read.failed', error }),
          );
          return state;
        case 'consumer.poll':
          return poll(state, self);
        case 'entries.read':
          reportStore(true);
          // Read just before a pause: keep them unclaimed; if the pause lasts, other workers reclaim them.
          if (capacity(state) < message.entries.length) return poll({ ...state, reading: false, readCount: 0, backlog: [...state.backlog, ...message.entries] }, self);
          return poll(message.entries.length > 0 ? claim({ ...state, reading: false, readCount: 0 }, message.entries, self) : { ...state, reading: false, readCount: 0 }, self);
        case 'entries.reclaimed':
          return poll({ ...state, backlog: [...state.backlog, ...message.entries] }, self);
        case 'read.failed':
          reportStore(false);
          log.warn({ err: message.error, consumer: options.name }, 'stream read failed; retrying');
          clock.after(RETRY_AFTER_ERROR_MS, () => send(self, { type: 'consumer.poll' }));
          return { ...state, reading: false, readCount: 0 };
        case 'jobs.claimed': {
          reportStore(true);
          for (const skipped of message.report.skipped) {
            if (skipped.reason === 'dead-lettered') log.warn({ analysisId: skipped.analysisId, consumer: options.name }, 'poison message: delivered too many times (ANALYSIS_MAX_DELIVERIES); moved to the dead-letter stream');
            if (skipped.reason === 'cancelled') log.info({ analysisId: skipped.analysisId, consumer: options.name }, 'job was cancelled while unowned; ended cancelled without running');
          }
          for (const job of message.report.claimed) startJob(state, job, self);
          return poll({ ...state, claiming: state.claiming - message.requested }, self);
        }
        case 'claim.failed':
          reportStore(false);
          log.warn({ err: message.error, consumer: options.name }, 'claiming entries failed; they stay pending and are retried');
          clock.after(RETRY_AFTER_ERROR_MS, () => send(self, { type: 'entries.reclaimed', entries: message.entries }));
          return { ...state, claiming: Math.max(0, state.claiming - message.entries.length) };
        case 'job.outcome': {
          const job = state.inFlight.get(message.analysisId);
          if (!job || job.finishing) return state;
          if (message.outcome.status === 'abandoned') {
            state.inFlight.delete(message.analysisId);
            return poll(state, self);
          }
          job.finishing = true;
          if (message.outcome.status === 'failed' && message.outcome.retryable) {
            scheduleRetry(retryRequestFor(message.analysisId, job, message.outcome, { ...options, now: clock.now() }), self);
            return poll(state, self);
          }
          const request = finishRequestFor(message.analysisId, job, message.outcome);
          return poll(flush({ ...state, toFinish: [...state.toFinish, request] }, self), self);
        }
        case 'jobs.finished':
          reportStore(true);
          message.requests.forEach((request, index) => {
            const job = state.inFlight.get(request.analysisId);
            state.inFlight.delete(request.analysisId);
            const status = message.statuses[index];
            if (status === undefined) log.warn({ analysisId: request.analysisId, consumer: options.name }, 'job was taken over by another worker before it finished here; its result was discarded');
            else if (job) options.onJobFinished(status, clock.now() - job.startedAt);
          });
          return poll(flush({ ...state, flushing: false }, self), self);
        case 'finish.failed':
          reportStore(false);
          log.warn({ err: message.error, jobs: message.requests.length }, 'finishing jobs failed; retrying');
          clock.after(RETRY_AFTER_ERROR_MS, () => send(self, { type: 'consumer.poll' }));
          return { ...state, flushing: false, toFinish: [...message.requests, ...state.toFinish] };
        case 'retry.request':
          scheduleRetry(message.request, self);
          return state;
        case 'job.retried': {
          reportStore(true);
          const job = state.inFlight.get(message.request.analysisId);
          state.inFlight.delete(message.request.analysisId);
          logRetryResult(log, options.name, message.request, message.result, clock.now());
          if (job && message.result.outcome !== 'lost') options.onJobFinished(message.result.outcome === 'cancelled' ? 'cancelled' : 'failed', clock.now() - job.startedAt);
          return poll(state, self);
        }
        case 'retry.failed':
          reportStore(false);
          log.warn({ err: message.error, analysisId: message.request.analysisId }, 'recording a failed attempt failed; trying again');
          clock.after(RETRY_AFTER_ERROR_MS, () => send(self, { type: 'retry.request', request: message.request }));
          return state;
        case 'consumer.gate':
          if (message.gate !== state.gate) log.info({ consumer: options.name, gate: message.gate }, message.gate === 'paused' ? 'not pulling new jobs while a dependency circuit is open' : message.gate === 'trial' ? 'pulling one trial job (circuit half-open)' : 'pulling jobs again');
          return poll({ ...state, gate: message.gate }, self);
        case 'claims.refresh':
          refreshClaims(state, self);
          return state.toFinish.length > 0 ? flush(state, self) : state;
        case 'job.cancel': {
          const job = state.inFlight.get(message.analysisId);
          if (job) send(job.actor, { type: 'job.abort', reason: 'cancelled' });
          return state;
        }
        case 'consumer.drain':
          return { ...state, draining: true };
        case 'consumer.abortAll':
          for (const job of state.inFlight.values()) send(job.actor, { type: 'job.abort', reason: 'shutdown' });
          return state;
        case 'consumer.status':
          // A paused consumer (open circuit) will not claim its backlog: those entries wait for
          // reclaim, so they must not hold a draining worker for the whole grace period.
          send(message.replyTo, { name: options.name, busy: state.inFlight.size + state.claiming + (state.gate === 'paused' ? 0 : state.backlog.length) + (state.reading ? 1 : 0) + (state.flushing ? 1 : 0), draining: state.draining });
          return state;
      }
    },
    onCrash: (error) => options.onCrash(error),
  });
}
