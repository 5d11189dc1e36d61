/**
 * The consumer's behaviour as a pure step, xstate-style: (state, message, moment) → state +
 * effects. No I/O, no timers, no clock and no randomness here: the time and the random draw
 * (retry jitter) come in with each message as its `moment`; consumerActor.ts runs the effects
 * and turns their results back into messages. That keeps every decision (capacity, backlog,
 * batching of finishes, retry or finish, aborts) testable without Redis or actors.
 */
import type {
  ClaimReport,
  ClaimState,
  FinishRequest,
  RetryRequest,
  RetryResult,
  StreamEntry,
} from '../storage/consumerQueue.js';
import { type ConsumerGate, roomFor } from './consumerGate.js';
import { finishRequestFor } from './finishRequestFor.js';
import type { JobAbortReason, JobOutcome } from './jobOutcome.js';
import { retryRequestFor } from './jobRetry.js';
import type { ClaimedJob } from '../storage/consumerQueue.js';

export interface ConsumerStatus {
  name: string;
  /** Jobs, claims, reads and finishes under way; 0 means drained. */
  busy: number;
  draining: boolean;
}

/** Messages from the consumer's own effects; the actor's public messages are in consumerActor.ts. */
export type ConsumerEvent =
  | { type: 'consumer.start' }
  | { type: 'consumer.poll' }
  | { type: 'entries.read'; entries: StreamEntry[] }
  | { type: 'entries.reclaimed'; entries: StreamEntry[] }
  | { type: 'read.failed'; error: Error }
  | { type: 'jobs.claimed'; report: ClaimReport; entries: StreamEntry[] }
  | { type: 'claim.failed'; entries: StreamEntry[]; error: Error }
  /** Outcomes of job actors, as many as ended since the last such message (one message, one copy of the in-flight map). */
  | { type: 'job.outcomes'; outcomes: readonly JobEnded[] }
  | { type: 'jobs.finished'; requests: FinishRequest[]; statuses: (FinishRequest['status'] | undefined)[] }
  | { type: 'finish.failed'; requests: FinishRequest[]; error: Error }
  | { type: 'retry.request'; request: RetryRequest }
  | { type: 'job.retried'; request: RetryRequest; result: RetryResult }
  | { type: 'retry.failed'; request: RetryRequest; error: Error }
  | { type: 'claims.refresh' }
  | { type: 'claims.checked'; checked: { analysisId: string; claim: ClaimState }[] }
  | { type: 'consumer.gate'; gate: ConsumerGate }
  | { type: 'job.cancel'; analysisId: string }
  | { type: 'consumer.drain' }
  | { type: 'consumer.abortAll' };

export type ConsumerEffect =
  | { type: 'read'; count: number }
  | { type: 'readOwnPending' }
  | { type: 'claim'; entries: StreamEntry[] }
  | { type: 'startJob'; job: ClaimedJob }
  | { type: 'abortJob'; analysisId: string; reason: JobAbortReason }
  | { type: 'finish'; requests: FinishRequest[] }
  | { type: 'retry'; request: RetryRequest }
  | { type: 'refreshClaims'; jobs: { analysisId: string; entryId: string; ownerToken: string }[] }
  | { type: 'later'; ms: number; message: ConsumerEvent }
  | { type: 'reportStore'; ok: boolean }
  | { type: 'jobFinished'; status: JobOutcome['status']; durationMs: number }
  | { type: 'retryResult'; request: RetryRequest; result: RetryResult }
  /** A job running here was claimed again: its progress writes carry the new owner token. */
  | { type: 'reowned'; analysisId: string; ownerToken: string }
  /** Draining, and nothing is left in hand: told once to the supervisor. */
  | { type: 'drained' }
  | { type: 'log'; level: 'info' | 'warn'; fields: Record<string, unknown>; message: string };

export interface JobEnded {
  analysisId: string;
  outcome: JobOutcome;
}

export interface InFlightJob {
  entryId: string;
  ownerToken: string;
  startedAt: number;
  attempts: number;
  /** Its outcome is known; only the finish (or retry) write is outstanding. */
  finishing: boolean;
}

export interface ConsumerState {
  gate: ConsumerGate;
  reading: boolean;
  /** Entries the outstanding read may still bring. */
  readCount: number;
  /** Analysis ids of the entries in outstanding claims. */
  claiming: readonly string[];
  draining: boolean;
  drainReported: boolean;
  flushing: boolean;
  backlog: StreamEntry[];
  toFinish: FinishRequest[];
  inFlight: ReadonlyMap<string, InFlightJob>;
}

export interface StepContext {
  name: string;
  batchSize: number;
  claimRefreshMs: number;
  maxRetries: number;
  /** Pure: `random` (0 to 1) is the moment's draw. */
  retryDelayMs: (retriesSoFar: number, random: number, retryAfterMs?: number) => number;
}

/** When a message is handled (epoch ms, from the shell's clock), and a random draw in [0, 1) for it. */
export interface Moment {
  now: number;
  random: number;
}

export interface StepResult {
  state: ConsumerState;
  effects: ConsumerEffect[];
}

export const RETRY_AFTER_ERROR_MS = 1000;

export const initialConsumerState: ConsumerState = {
  gate: 'open',
  reading: false,
  readCount: 0,
  claiming: [],
  draining: false,
  drainReported: false,
  flushing: false,
  backlog: [],
  toFinish: [],
  inFlight: new Map(),
};

export function consumerStatus(state: ConsumerState, name: string): ConsumerStatus {
  // A paused consumer (open circuit) will not claim its backlog: those entries wait for
  // reclaim, so they must not hold a draining worker for the whole grace period.
  const backlog = state.gate === 'paused' ? 0 : state.backlog.length;
  return {
    name,
    busy: state.inFlight.size + state.claiming.length + backlog + (state.reading ? 1 : 0) + (state.flushing ? 1 : 0),
    draining: state.draining,
  };
}

/**
 * How many taken-over entries this consumer could claim at once. An outstanding read does not
 * count against it: an idle consumer is always blocked in one, which may well bring nothing.
 */
export function roomToReclaim(state: ConsumerState, batchSize: number): number {
  if (state.draining) return 0;
  return Math.max(0, roomFor(state.gate, batchSize, running(state) + state.claiming.length) - state.backlog.length);
}

/** Jobs still computing. One waiting only for its finish write does not hold a slot, so the next read overlaps that round trip. */
function running(state: ConsumerState): number {
  let count = 0;
  for (const job of state.inFlight.values()) if (!job.finishing) count += 1;
  return count;
}

function withJob(state: ConsumerState, analysisId: string, job: InFlightJob | undefined): ConsumerState {
  const inFlight = new Map(state.inFlight);
  if (job) inFlight.set(analysisId, job);
  else inFlight.delete(analysisId);
  return { ...state, inFlight };
}

/** Claims the backlog first (taken-over entries must not idle past the claim timeout again), else reads. */
function poll(state: ConsumerState, context: StepContext, effects: ConsumerEffect[]): ConsumerState {
  const room = roomFor(state.gate, context.batchSize, running(state) + state.claiming.length) - state.readCount;
  if (room <= 0) return state;
  if (state.backlog.length > 0) {
    const entries = state.backlog.slice(0, room);
    effects.push({ type: 'claim', entries });
    return { ...state, backlog: state.backlog.slice(room), claiming: claimingAlso(state, entries) };
  }
  if (state.draining || state.reading) return state;
  effects.push({ type: 'read', count: room });
  return { ...state, reading: true, readCount: room };
}

const claimingAlso = (state: ConsumerState, entries: readonly StreamEntry[]): readonly string[] => [
  ...state.claiming,
  ...entries.map((entry) => entry.analysisId),
];

/** Without one id per entry whose claim came back (an id can be in two claims: a stale entry's and its newer one's). */
function claimingLess(state: ConsumerState, entries: readonly StreamEntry[]): readonly string[] {
  // Usually the claim that came back is the oldest one outstanding: its ids lead, in order.
  if (entries.every((entry, index) => state.claiming[index] === entry.analysisId))
    return state.claiming.slice(entries.length);
  const claiming = [...state.claiming];
  for (const { analysisId } of entries) {
    const index = claiming.indexOf(analysisId);
    if (index >= 0) claiming.splice(index, 1);
  }
  return claiming;
}

function flush(state: ConsumerState, effects: ConsumerEffect[]): ConsumerState {
  if (state.flushing || state.toFinish.length === 0) return state;
  effects.push({ type: 'finish', requests: state.toFinish });
  return { ...state, flushing: true, toFinish: [] };
}

/** No longer fresh; an entry whose claim failed keeps the owner token of that claim, which may have run. */
const parked = ({ entryId, analysisId, ownerToken }: StreamEntry): StreamEntry =>
  ownerToken === undefined ? { entryId, analysisId } : { entryId, analysisId, ownerToken };

const warn = (message: string, fields: Record<string, unknown>): ConsumerEffect => ({
  type: 'log',
  level: 'warn',
  fields,
  message,
});
const info = (message: string, fields: Record<string, unknown>): ConsumerEffect => ({
  type: 'log',
  level: 'info',
  fields,
  message,
});

/**
 * Jobs whose outcome is known hold no slot any more: an abandoned one is dropped, a retryable
 * failure is written as a retry, the rest join the next finish batch. One copy of the in-flight
 * map and one poll for all of them: a poll per outcome read one entry at a time.
 */
function ended(
  state: ConsumerState,
  outcomes: readonly JobEnded[],
  context: StepContext,
  moment: Moment,
  effects: ConsumerEffect[],
): ConsumerState {
  let inFlight: Map<string, InFlightJob> | undefined;
  const toFinish: FinishRequest[] = [];
  for (const { analysisId, outcome } of outcomes) {
    const job = (inFlight ?? state.inFlight).get(analysisId);
    if (!job || job.finishing) continue;
    inFlight ??= new Map(state.inFlight);
    if (outcome.status === 'abandoned') {
      inFlight.delete(analysisId);
      continue;
    }
    // Written out: a spread copy per job costs V8 about a microsecond.
    inFlight.set(analysisId, {
      entryId: job.entryId,
      ownerToken: job.ownerToken,
      startedAt: job.startedAt,
      attempts: job.attempts,
      finishing: true,
    });
    if (outcome.status === 'failed' && outcome.retryable)
      effects.push({
        type: 'retry',
        request: retryRequestFor(analysisId, job, outcome, {
          name: context.name,
          maxRetries: context.maxRetries,
          retryDelayMs: context.retryDelayMs,
          ...moment,
        }),
      });
    else toFinish.push(finishRequestFor(analysisId, job, outcome));
  }
  if (!inFlight) return state;
  const next = { ...state, inFlight };
  return poll(
    toFinish.length > 0 ? flush({ ...next, toFinish: [...state.toFinish, ...toFinish] }, effects) : next,
    context,
    effects,
  );
}

export function consumerStep(
  state: ConsumerState,
  message: ConsumerEvent,
  context: StepContext,
  moment: Moment,
): StepResult {
  const step = react(state, message, context, moment);
  if (!step.state.draining || step.state.drainReported || consumerStatus(step.state, context.name).busy > 0)
    return step;
  return { state: { ...step.state, drainReported: true }, effects: [...step.effects, { type: 'drained' }] };
}

function react(state: ConsumerState, message: ConsumerEvent, context: StepContext, moment: Moment): StepResult {
  const effects: ConsumerEffect[] = [];
  const result = (next: ConsumerState): StepResult => ({ state: next, effects });
  const consumer = context.name;

  switch (message.type) {
    case 'consumer.start':
      // Restarted during a drain: take nothing on; what this name still holds is left for reclaim.
      if (state.draining) return result(state);
      // Entries this consumer name already holds (an actor restarted by its supervisor) come first.
      effects.push(
        { type: 'later', ms: context.claimRefreshMs, message: { type: 'claims.refresh' } },
        { type: 'readOwnPending' },
      );
      return result(state);
    case 'consumer.poll':
      return result(poll(state, context, effects));
    case 'entries.read': {
      effects.push({ type: 'reportStore', ok: true });
      const read = { ...state, reading: false, readCount: 0 };
      const entries = message.entries.filter((entry) => state.inFlight.get(entry.analysisId)?.finishing !== true);
      // A job's new entry (its retry came due) while its last attempt is still being ended here is
      // left pending for a takeover once idle: claimed now, it would open a run no job actor runs.
      if (entries.length < message.entries.length)
        effects.push(
          info('leaving new entries of jobs still being ended here for a takeover', {
            consumer,
            entries: message.entries.filter((entry) => !entries.includes(entry)).map((entry) => entry.entryId),
          }),
        );
      // Read just before a pause: keep them unclaimed; if the pause lasts, other workers reclaim them.
      // Parked, they are no longer fresh: another worker may take them over meanwhile, so their
      // claim must check whom they are pending for.
      if (roomFor(state.gate, context.batchSize, running(state) + state.claiming.length) < entries.length) {
        return result(poll({ ...read, backlog: [...state.backlog, ...entries.map(parked)] }, context, effects));
      }
      if (entries.length === 0) return result(poll(read, context, effects));
      effects.push({ type: 'claim', entries });
      return result(poll({ ...read, claiming: claimingAlso(state, entries) }, context, effects));
    }
    case 'entries.reclaimed': {
      // An entry this consumer already runs, holds or is claiming (taken over twice) is not claimed
      // again: that claim would put its own run in doubt, and its death would count twice.
      const held = new Set([
        ...state.inFlight.keys(),
        ...state.backlog.map((entry) => entry.analysisId),
        ...state.claiming,
      ]);
      const fresh = message.entries.filter((entry) => !held.has(entry.analysisId));
      if (fresh.length < message.entries.length)
        effects.push(
          info('ignoring entries taken over again while this consumer holds them', {
            consumer,
            jobs: message.entries.filter((entry) => held.has(entry.analysisId)).map((entry) => entry.analysisId),
          }),
        );
      return result(poll({ ...state, backlog: [...state.backlog, ...fresh.map(parked)] }, context, effects));
    }
    case 'read.failed':
      effects.push(
        { type: 'reportStore', ok: false },
        warn('stream read failed; retrying', { err: message.error, consumer }),
        { type: 'later', ms: RETRY_AFTER_ERROR_MS, message: { type: 'consumer.poll' } },
      );
      return result({ ...state, reading: false, readCount: 0 });
    case 'jobs.claimed': {
      effects.push({ type: 'reportStore', ok: true });
      for (const skipped of message.report.skipped) {
        if (skipped.reason === 'dead-lettered')
          effects.push(
            warn(
              'poison message: its runs crashed their worker too often (ANALYSIS_MAX_DELIVERIES); moved to the dead-letter stream',
              { analysisId: skipped.analysisId, consumer },
            ),
          );
        if (skipped.reason === 'cancelled')
          effects.push(
            info('job was cancelled while unowned; ended cancelled without running', {
              analysisId: skipped.analysisId,
              consumer,
            }),
          );
      }
      const inFlight = new Map(state.inFlight);
      for (const job of message.report.claimed) {
        const current = inFlight.get(job.record.analysis_id);
        if (current) {
          // Claimed again while it runs here (a race with a takeover): the job actor goes on, under the new claim.
          inFlight.set(job.record.analysis_id, { ...current, entryId: job.entryId, ownerToken: job.ownerToken });
          effects.push(
            { type: 'reowned', analysisId: job.record.analysis_id, ownerToken: job.ownerToken },
            warn('job claimed again while it runs here; it goes on under the new claim', {
              analysisId: job.record.analysis_id,
              consumer,
            }),
          );
          continue;
        }
        inFlight.set(job.record.analysis_id, {
          entryId: job.entryId,
          ownerToken: job.ownerToken,
          startedAt: moment.now,
          attempts: job.record.attempts,
          finishing: false,
        });
        effects.push({ type: 'startJob', job });
      }
      return result(poll({ ...state, inFlight, claiming: claimingLess(state, message.entries) }, context, effects));
    }
    case 'claim.failed':
      effects.push(
        { type: 'reportStore', ok: false },
        warn('claiming entries failed; they stay pending and are retried', { err: message.error, consumer }),
        { type: 'later', ms: RETRY_AFTER_ERROR_MS, message: { type: 'entries.reclaimed', entries: message.entries } },
      );
      return result({ ...state, claiming: claimingLess(state, message.entries) });
    case 'job.outcomes':
      return result(ended(state, message.outcomes, context, moment, effects));
    case 'jobs.finished': {
      effects.push({ type: 'reportStore', ok: true });
      const inFlight = new Map(state.inFlight);
      message.requests.forEach((request, index) => {
        const job = inFlight.get(request.analysisId);
        inFlight.delete(request.analysisId);
        const status = message.statuses[index];
        if (status === undefined)
          effects.push(
            warn('job was taken over by another worker before it finished here; its result was discarded', {
              analysisId: request.analysisId,
              consumer,
            }),
          );
        else if (job) effects.push({ type: 'jobFinished', status, durationMs: moment.now - job.startedAt });
      });
      return result(poll(flush({ ...state, inFlight, flushing: false }, effects), context, effects));
    }
    case 'finish.failed':
      effects.push(
        { type: 'reportStore', ok: false },
        warn('finishing jobs failed; retrying', { err: message.error, jobs: message.requests.length }),
        { type: 'later', ms: RETRY_AFTER_ERROR_MS, message: { type: 'consumer.poll' } },
      );
      return result({ ...state, flushing: false, toFinish: [...message.requests, ...state.toFinish] });
    case 'retry.request':
      effects.push({ type: 'retry', request: message.request });
      return result(state);
    case 'job.retried': {
      effects.push(
        { type: 'reportStore', ok: true },
        { type: 'retryResult', request: message.request, result: message.result },
      );
      const job = state.inFlight.get(message.request.analysisId);
      if (job && message.result.outcome !== 'lost')
        effects.push({
          type: 'jobFinished',
          status: message.result.outcome === 'cancelled' ? 'cancelled' : 'failed',
          durationMs: moment.now - job.startedAt,
        });
      return result(poll(withJob(state, message.request.analysisId, undefined), context, effects));
    }
    case 'retry.failed':
      effects.push(
        { type: 'reportStore', ok: false },
        warn('recording a failed attempt failed; trying again', {
          err: message.error,
          analysisId: message.request.analysisId,
        }),
        { type: 'later', ms: RETRY_AFTER_ERROR_MS, message: { type: 'retry.request', request: message.request } },
      );
      return result(state);
    case 'consumer.gate':
      if (message.gate !== state.gate) {
        const text =
          message.gate === 'paused'
            ? 'not pulling new jobs while a dependency circuit is open'
            : message.gate === 'trial'
              ? 'pulling one trial job (circuit half-open)'
              : 'pulling jobs again';
        effects.push(info(text, { consumer, gate: message.gate }));
      }
      return result(poll({ ...state, gate: message.gate }, context, effects));
    case 'claims.refresh': {
      const jobs = [...state.inFlight]
        .filter(([, job]) => !job.finishing)
        .map(([analysisId, job]) => ({ analysisId, entryId: job.entryId, ownerToken: job.ownerToken }));
      effects.push(
        { type: 'refreshClaims', jobs },
        { type: 'later', ms: context.claimRefreshMs, message: { type: 'claims.refresh' } },
      );
      return result(state.toFinish.length > 0 ? flush(state, effects) : state);
    }
    case 'claims.checked':
      for (const { analysisId, claim } of message.checked) {
        // A cancel request whose pub/sub message never reached this node still lands here.
        if (claim === 'cancel-requested') effects.push({ type: 'abortJob', analysisId, reason: 'cancelled' });
        else if (claim === 'lost') effects.push({ type: 'abortJob', analysisId, reason: 'ownership-lost' });
      }
      return result(state);
    case 'job.cancel':
      if (state.inFlight.has(message.analysisId))
        effects.push({ type: 'abortJob', analysisId: message.analysisId, reason: 'cancelled' });
      return result(state);
    case 'consumer.drain':
      return result({ ...state, draining: true });
    case 'consumer.abortAll':
      for (const analysisId of state.inFlight.keys())
        effects.push({ type: 'abortJob', analysisId, reason: 'shutdown' });
      return result(state);
  }
}
