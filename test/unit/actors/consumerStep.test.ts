/** The consumer's decisions as a pure step: no Redis, no actors, no waiting. */
import {
  type ConsumerEffect,
  type ConsumerEvent,
  type ConsumerState,
  consumerStatus,
  consumerStep as step,
  initialConsumerState,
  type Moment,
  roomToReclaim,
  type StepContext,
} from '../../../actors/consumerStep.js';
import type { ClaimedJob, StreamEntry } from '../../../storage/consumerQueue.js';
import type { JobOutcome } from '../../../actors/jobOutcome.js';
import type { JobRecord } from '../../../storage/jobRecord.js';

const context: StepContext = {
  name: 'c0',
  batchSize: 2,
  claimRefreshMs: 1000,
  maxRetries: 3,
  retryDelayMs: (retries, random) => 100 * 2 ** retries + Math.round(random * 10),
};
const moment: Moment = { now: 10_000, random: 0 };
const consumerStep = (state: ConsumerState, message: ConsumerEvent, stepContext: StepContext, at: Moment = moment) =>
  step(state, message, stepContext, at);

function steps(
  messages: ConsumerEvent[],
  from: ConsumerState = initialConsumerState,
): { state: ConsumerState; effects: ConsumerEffect[] } {
  let state = from;
  const effects: ConsumerEffect[] = [];
  for (const message of messages) {
    const result = consumerStep(state, message, context);
    state = result.state;
    effects.push(...result.effects);
  }
  return { state, effects };
}

const entry = (n: number): StreamEntry => ({ entryId: `1-${n}`, analysisId: `job${n}`, fresh: true });
const claimed = (n: number): ClaimedJob => ({
  entryId: `1-${n}`,
  ownerToken: `t${n}`,
  takenOver: false,
  record: { analysis_id: `job${n}`, attempts: 0 } as JobRecord,
});
const ended = (analysisId: string, outcome: JobOutcome): ConsumerEvent => ({
  type: 'job.outcomes',
  outcomes: [{ analysisId, outcome }],
});
/** job1's attempt failed with an upstream error worth retrying. */
const job1FailedRetryably = ended('job1', { status: 'failed', error: 'candles: HTTP 503', retryable: true });
const only = (effects: ConsumerEffect[], type: ConsumerEffect['type']) =>
  effects.filter((effect) => effect.type === type);

/** Two jobs read, claimed and started. */
const running = () =>
  steps([
    { type: 'consumer.poll' },
    { type: 'entries.read', entries: [entry(1), entry(2)] },
    { type: 'jobs.claimed', report: { claimed: [claimed(1), claimed(2)], skipped: [] }, entries: [entry(1), entry(2)] },
  ]);

test('reads its batch size, one read at a time, and claims what it read', () => {
  const { state, effects } = steps([{ type: 'consumer.poll' }, { type: 'consumer.poll' }]);
  expect(only(effects, 'read')).toEqual([{ type: 'read', count: 2 }]);
  const read = consumerStep(state, { type: 'entries.read', entries: [entry(1), entry(2)] }, context);
  expect(only(read.effects, 'claim')).toEqual([{ type: 'claim', entries: [entry(1), entry(2)] }]);
  expect(only(read.effects, 'read')).toEqual([]); // no room until the claim answers
});

test('claimed jobs start; their outcomes are finished in batches; a finished job frees its slot at once', () => {
  const { state, effects } = running();
  expect(only(effects, 'startJob')).toHaveLength(2);
  const first = consumerStep(state, ended('job1', { status: 'completed', result: {} }), context);
  expect(only(first.effects, 'finish')).toEqual([
    {
      type: 'finish',
      requests: [expect.objectContaining({ analysisId: 'job1', status: 'completed', ownerToken: 't1' })],
    },
  ]);
  // job1 only waits for its write now: the consumer reads the next entry meanwhile.
  expect(only(first.effects, 'read')).toEqual([{ type: 'read', count: 1 }]);
  const second = consumerStep(
    first.state,
    ended('job2', { status: 'failed', error: 'candles: unknown symbol', retryable: false }),
    context,
  );
  expect(only(second.effects, 'finish')).toEqual([]); // waits for the write under way
  const done = consumerStep(
    second.state,
    {
      type: 'jobs.finished',
      requests: (first.effects[0] as Extract<ConsumerEffect, { type: 'finish' }>).requests,
      statuses: ['completed'],
    },
    context,
  );
  expect(only(done.effects, 'finish')).toEqual([
    {
      type: 'finish',
      requests: [
        expect.objectContaining({ analysisId: 'job2', status: 'failed', result: { error: 'candles: unknown symbol' } }),
      ],
    },
  ]);
  expect(only(done.effects, 'jobFinished')).toEqual([{ type: 'jobFinished', status: 'completed', durationMs: 0 }]);
});

test('outcomes told together are finished in one batch, and their slots refilled by one read', () => {
  const { state } = running();
  const both = consumerStep(
    state,
    {
      type: 'job.outcomes',
      outcomes: [
        { analysisId: 'job1', outcome: { status: 'completed', result: {} } },
        { analysisId: 'job2', outcome: { status: 'failed', error: 'candles: unknown symbol', retryable: false } },
        // Told twice (a late duplicate): counted once.
        { analysisId: 'job1', outcome: { status: 'completed', result: {} } },
      ],
    },
    context,
  );
  expect(only(both.effects, 'finish')).toEqual([
    {
      type: 'finish',
      requests: [
        expect.objectContaining({ analysisId: 'job1', status: 'completed' }),
        expect.objectContaining({ analysisId: 'job2', status: 'failed' }),
      ],
    },
  ]);
  expect(only(both.effects, 'read')).toEqual([{ type: 'read', count: 2 }]);
});

test('a retryable failure becomes a retry request with the backoff; a lost finish is only logged', () => {
  const { state } = running();
  const failed = consumerStep(state, job1FailedRetryably, context);
  expect(only(failed.effects, 'retry')).toEqual([
    {
      type: 'retry',
      request: expect.objectContaining({
        analysisId: 'job1',
        ownerToken: 't1',
        dueAt: 10_100,
        maxRetries: 3,
        node: 'c0',
      }),
    },
  ]);
  const lost = consumerStep(
    state,
    {
      type: 'jobs.finished',
      requests: [
        {
          analysisId: 'job2',
          entryId: '1-2',
          ownerToken: 't2',
          status: 'completed',
          result: {},
          event: { status: 'completed', stage: 'finished', progress: 1, message: '', at: 0 },
        },
      ],
      statuses: [undefined],
    },
    context,
  );
  expect(only(lost.effects, 'jobFinished')).toEqual([]);
  expect(only(lost.effects, 'log')).toEqual([
    expect.objectContaining({ level: 'warn', message: expect.stringMatching(/taken over by another worker/) }),
  ]);
});

test('paused by a circuit it reads nothing; entries read just before the pause wait in the backlog, not counted as busy', () => {
  const paused = steps([
    { type: 'consumer.poll' },
    { type: 'consumer.gate', gate: 'paused' },
    { type: 'entries.read', entries: [entry(1)] },
  ]);
  expect(only(paused.effects, 'claim')).toEqual([]);
  // Parked, no longer fresh: its claim checks whom it is pending for (another worker may take it over meanwhile).
  expect(paused.state.backlog).toEqual([{ entryId: '1-1', analysisId: 'job1' }]);
  expect(consumerStatus(paused.state, 'c0').busy).toBe(0);
  const resumed = consumerStep(paused.state, { type: 'consumer.gate', gate: 'trial' }, context);
  expect(only(resumed.effects, 'claim')).toEqual([
    { type: 'claim', entries: [{ entryId: '1-1', analysisId: 'job1' }] },
  ]);
});

test('a claim refresh that finds a job lost or cancel-requested aborts that job', () => {
  const { state } = running();
  const refresh = consumerStep(state, { type: 'claims.refresh' }, context);
  expect(only(refresh.effects, 'refreshClaims')).toEqual([
    {
      type: 'refreshClaims',
      jobs: [
        { analysisId: 'job1', entryId: '1-1', ownerToken: 't1' },
        { analysisId: 'job2', entryId: '1-2', ownerToken: 't2' },
      ],
    },
  ]);
  const checked = consumerStep(
    state,
    {
      type: 'claims.checked',
      checked: [
        { analysisId: 'job1', claim: 'lost' },
        { analysisId: 'job2', claim: 'cancel-requested' },
      ],
    },
    context,
  );
  expect(only(checked.effects, 'abortJob')).toEqual([
    { type: 'abortJob', analysisId: 'job1', reason: 'ownership-lost' },
    { type: 'abortJob', analysisId: 'job2', reason: 'cancelled' },
  ]);
});

test('draining stops reads but not the work in hand; abortAll aborts every job', () => {
  const { state } = running();
  const draining = steps(
    [{ type: 'consumer.drain' }, ended('job1', { status: 'abandoned', reason: 'shutdown' })],
    state,
  );
  expect(only(draining.effects, 'read')).toEqual([]);
  expect(consumerStatus(draining.state, 'c0')).toEqual({ name: 'c0', busy: 1, draining: true });
  expect(only(consumerStep(draining.state, { type: 'consumer.abortAll' }, context).effects, 'abortJob')).toEqual([
    { type: 'abortJob', analysisId: 'job2', reason: 'shutdown' },
  ]);
});

test('draining, it tells its supervisor once when nothing is left in hand', () => {
  const { state } = running();
  const draining = steps(
    [{ type: 'consumer.drain' }, ended('job1', { status: 'abandoned', reason: 'shutdown' })],
    state,
  );
  expect(only(draining.effects, 'drained')).toEqual([]);
  const last = steps(
    [ended('job2', { status: 'abandoned', reason: 'shutdown' }), { type: 'consumer.poll' }],
    draining.state,
  );
  expect(only(last.effects, 'drained')).toEqual([{ type: 'drained' }]);
});

test('restarted during a drain (drain before start), it reads nothing, not even its own pending entries', () => {
  const { effects } = steps([{ type: 'consumer.drain' }, { type: 'consumer.start' }, { type: 'consumer.poll' }]);
  expect(effects.filter((effect) => effect.type === 'read' || effect.type === 'readOwnPending')).toEqual([]);
  expect(only(effects, 'drained')).toEqual([{ type: 'drained' }]);
});

test('time and the jitter draw come with the message: durations and retry due times follow the moment, not a clock', () => {
  const { state } = running();
  const failed = consumerStep(state, job1FailedRetryably, context, { now: 20_000, random: 0.5 });
  expect(only(failed.effects, 'retry')).toEqual([
    { type: 'retry', request: expect.objectContaining({ dueAt: 20_105 }) },
  ]);
  const completed = consumerStep(state, ended('job2', { status: 'completed', result: {} }), context);
  const requests = (only(completed.effects, 'finish')[0] as Extract<ConsumerEffect, { type: 'finish' }>).requests;
  const finished = consumerStep(
    completed.state,
    { type: 'jobs.finished', requests, statuses: ['completed'] },
    context,
    { now: 13_500, random: 0 },
  );
  expect(only(finished.effects, 'jobFinished')).toEqual([
    { type: 'jobFinished', status: 'completed', durationMs: 3_500 },
  ]);
});

test('an entry taken over again while this consumer runs or holds it is not claimed twice; parked entries lose their fresh flag', () => {
  const { state } = running();
  const again = consumerStep(
    state,
    { type: 'entries.reclaimed', entries: [{ entryId: '1-1', analysisId: 'job1' }] },
    context,
  );
  expect(only(again.effects, 'claim')).toEqual([]);
  expect(again.state.backlog).toEqual([]);
  // Full: what it reads is parked, and parked entries are checked against the pending list when claimed.
  const parkedRead = consumerStep(
    { ...state, reading: true, readCount: 1 },
    { type: 'entries.read', entries: [entry(3)] },
    context,
  );
  expect(parkedRead.state.backlog).toEqual([{ entryId: '1-3', analysisId: 'job3' }]);
});

test('an entry delivered again while its claim is outstanding is not claimed twice: that claim would doubt its own run', () => {
  const reclaimed = { type: 'entries.reclaimed' as const, entries: [{ entryId: '1-1', analysisId: 'job1' }] };
  const { state, effects } = steps([reclaimed, reclaimed]);
  expect(only(effects, 'claim')).toEqual([{ type: 'claim', entries: reclaimed.entries }]);
  expect(state.claiming).toEqual(['job1']);
  const back = consumerStep(
    state,
    { type: 'jobs.claimed', report: { claimed: [claimed(1)], skipped: [] }, entries: reclaimed.entries },
    context,
  );
  expect(back.state.claiming).toEqual([]);
  // Once it came back, a later delivery of the same entry is still held: the job runs here.
  expect(only(consumerStep(back.state, reclaimed, context).effects, 'claim')).toEqual([]);
});

test('a failed claim is retried with the owner tokens it used: it may have run, and new tokens would doubt its run', () => {
  const tried = [{ ...entry(1), ownerToken: 'c0:first' }];
  const { state, effects } = steps([
    { type: 'consumer.poll' },
    { type: 'entries.read', entries: [entry(1)] },
    { type: 'claim.failed', entries: tried, error: new Error('Connection is closed.') },
  ]);
  const later = only(effects, 'later');
  expect(later).toEqual([
    { type: 'later', ms: expect.any(Number), message: { type: 'entries.reclaimed', entries: tried } },
  ]);
  const retry = consumerStep(state, (later[0] as Extract<ConsumerEffect, { type: 'later' }>).message, context);
  expect(only(retry.effects, 'claim')).toEqual([
    { type: 'claim', entries: [{ entryId: '1-1', analysisId: 'job1', ownerToken: 'c0:first' }] },
  ]);
});

test('a new entry of a job whose attempt is still being ended here is not claimed: no job actor would run that claim', () => {
  const { state } = running();
  const failed = consumerStep(state, job1FailedRetryably, context);
  expect(only(failed.effects, 'retry')).toHaveLength(1);
  const { effects } = consumerStep(
    { ...failed.state, reading: true, readCount: 1 },
    { type: 'entries.read', entries: [{ entryId: '2-1', analysisId: 'job1', fresh: true }, entry(3)] },
    context,
  );
  expect(only(effects, 'claim')).toEqual([{ type: 'claim', entries: [entry(3)] }]);
});

test('a job claimed again while it runs here does not start a second job actor (whose name would clash); it goes on under the new claim', () => {
  const { state } = running();
  const twice = consumerStep(
    state,
    {
      type: 'jobs.claimed',
      report: { claimed: [{ ...claimed(1), ownerToken: 't1-new' }], skipped: [] },
      entries: [entry(1)],
    },
    { ...context },
  );
  expect(only(twice.effects, 'startJob')).toEqual([]);
  expect(only(twice.effects, 'reowned')).toEqual([{ type: 'reowned', analysisId: 'job1', ownerToken: 't1-new' }]);
  const done = consumerStep(twice.state, ended('job1', { status: 'completed', result: {} }), context);
  expect(only(done.effects, 'finish')).toEqual([
    { type: 'finish', requests: [expect.objectContaining({ analysisId: 'job1', ownerToken: 't1-new' })] },
  ]);
});

test('the room it offers the reclaimer: its free slots less its backlog, none while draining or paused, an outstanding read not counted', () => {
  const idle = steps([{ type: 'consumer.poll' }]).state;
  expect(idle.reading).toBe(true);
  expect(roomToReclaim(idle, 2)).toBe(2);
  expect(roomToReclaim(running().state, 2)).toBe(0);
  expect(roomToReclaim({ ...idle, backlog: [entry(5)] }, 2)).toBe(1);
  expect(roomToReclaim({ ...idle, gate: 'paused' }, 2)).toBe(0);
  expect(roomToReclaim({ ...idle, draining: true }, 2)).toBe(0);
});
