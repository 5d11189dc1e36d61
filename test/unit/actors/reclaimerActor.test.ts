/**
 * The reclaimer on a manual clock: it sweeps the pending list page by page, hands each page to
 * the consumers in turn, trims, and sweeps again one interval later; pause, stop, and a sweep
 * that never answers. The queue is an in-memory stand-in for the two calls it makes (their
 * Redis side is tested against a real server in test/integration/queue).
 */
import pino from 'pino';
import type { ConsumerMessage } from '../../../actors/consumerActor.js';
import { type ReclaimerMessage, spawnReclaimerActor } from '../../../actors/reclaimerActor.js';
import { type ActorRef, type ChildCrashed, send, spawnActor, startActorSystem } from '../../../actors/typedActor.js';
import type { ConsumerQueue, StreamEntry } from '../../../storage/consumerQueue.js';
import { manualClock } from '../../support/manualClock.js';
import { waitFor } from '../../support/waitFor.js';

type Sweeps = Pick<ConsumerQueue, 'takeOverIdle' | 'trimAcknowledged'>;

const entry = (n: number): StreamEntry => ({ entryId: `1-${n}`, analysisId: `job${n}` });

/** Idle entries served a page per call, cursor and all; every call and trim is recorded. */
function idlePendingList(
  pages: StreamEntry[][],
): Sweeps & { calls: { consumer: string; cursor: string }[]; counts: number[]; trims: number; hang: boolean } {
  const queue = {
    calls: [] as { consumer: string; cursor: string; count?: number }[],
    trims: 0,
    counts: [] as number[],
    hang: false,
    takeOverIdle(consumer: string, _minIdleMs: number, count: number, cursor: string) {
      queue.calls.push({ consumer, cursor });
      queue.counts.push(count);
      if (queue.hang) return new Promise<never>(() => undefined);
      const page = Number(cursor.split('-')[1]);
      const next = page + 1 < pages.length ? `0-${page + 1}` : '0-0';
      return Promise.resolve({ cursor: next, entries: pages[page] ?? [] });
    },
    async trimAcknowledged() {
      queue.trims += 1;
      return 0;
    },
  };
  return queue;
}

function setUp(pages: StreamEntry[][], maxPerSweep = 100, rooms: Record<string, number> = { c0: 5, c1: 5 }) {
  const system = startActorSystem(`reclaimer-${Math.random().toString(36).slice(2)}`);
  const clock = manualClock();
  const queue = idlePendingList(pages);
  const received: { consumer: string; entries: string[] }[] = [];
  const consumers = ['c0', 'c1'].map((name) =>
    spawnActor<null, ConsumerMessage>(system.root, {
      name,
      initialState: null,
      receive(state, message) {
        if (message.type === 'entries.reclaimed')
          received.push({ consumer: name, entries: message.entries.map((one) => one.analysisId) });
        if (message.type === 'consumer.room') send(message.replyTo, rooms[name] ?? 0);
        return state;
      },
    }),
  );
  const supervisor = spawnActor<null, ChildCrashed>(system.root, {
    name: 'supervisor',
    initialState: null,
    receive: (state) => state,
  });
  const reclaimer: ActorRef<ReclaimerMessage> = spawnReclaimerActor(system.root, {
    queue,
    consumers,
    claimTimeoutMs: 60_000,
    intervalMs: 30_000,
    sweepTimeoutMs: 60_000,
    countPerCall: 5,
    maxPerSweep,
    clock,
    log: pino({ level: 'silent' }),
    supervisor,
  });
  return { system, clock, queue, received, reclaimer };
}

/** Lets the actors handle what is in their mailboxes (each message takes a turn of the event loop). */
async function turns(count: number): Promise<void> {
  for (let turn = 0; turn < count; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

test('a sweep follows the cursor to the end, hands the pages to the consumers in turn, trims, and the next one waits an interval', async () => {
  const { system, clock, queue, received, reclaimer } = setUp([[entry(1), entry(2)], [], [entry(3)]]);
  send(reclaimer, { type: 'reclaim.tick' });
  await waitFor(
    () => queue.trims === 1 && clock.pendingTimers() === 1,
    5000,
    'the first sweep to end and the next to be armed',
  );
  expect(queue.calls).toEqual([
    { consumer: 'c0', cursor: '0-0' },
    { consumer: 'c1', cursor: '0-1' },
    { consumer: 'c0', cursor: '0-2' },
  ]);
  await waitFor(() => received.length === 2, 5000, 'the pages to arrive');
  expect(received).toEqual([
    { consumer: 'c0', entries: ['job1', 'job2'] },
    { consumer: 'c0', entries: ['job3'] },
  ]);
  clock.advance(29_999);
  expect(queue.calls).toHaveLength(3);
  clock.advance(1);
  await waitFor(() => queue.trims === 2, 5000, 'the second sweep');
  system.shutdown();
});

test('one sweep takes at most maxPerSweep entries; the rest wait for the next', async () => {
  const { system, queue, reclaimer } = setUp([[entry(1), entry(2)], [entry(3), entry(4)], [entry(5)]], 2);
  send(reclaimer, { type: 'reclaim.tick' });
  await waitFor(() => queue.trims === 1, 5000, 'the sweep to end');
  expect(queue.calls).toHaveLength(1);
  system.shutdown();
});

test('paused, it takes nothing over but keeps ticking; resumed, it sweeps at the next tick; stopped, never again', async () => {
  const { system, clock, queue, reclaimer } = setUp([[entry(1)]]);
  send(reclaimer, { type: 'reclaim.pause' });
  send(reclaimer, { type: 'reclaim.tick' });
  await waitFor(() => clock.pendingTimers() === 1, 5000, 'the paused tick to re-arm');
  clock.advance(30_000);
  await waitFor(() => clock.pendingTimers() === 1, 5000, 'the next paused tick to re-arm');
  expect(queue.calls).toEqual([]);
  send(reclaimer, { type: 'reclaim.resume' });
  clock.advance(30_000);
  await waitFor(() => queue.trims === 1 && clock.pendingTimers() === 1, 5000, 'the sweep after resuming');
  send(reclaimer, { type: 'reclaim.stop' });
  clock.advance(30_000);
  send(reclaimer, { type: 'reclaim.tick' });
  await turns(10);
  expect(clock.pendingTimers()).toBe(0);
  expect(queue.calls).toHaveLength(1);
  system.shutdown();
});

test('a sweep that never answers is given up after its timeout, and sweeping goes on', async () => {
  const { system, clock, queue, reclaimer } = setUp([[entry(1)]]);
  queue.hang = true;
  send(reclaimer, { type: 'reclaim.tick' });
  await waitFor(() => queue.calls.length === 1 && clock.pendingTimers() === 1, 5000, 'the first call and its timeout');
  queue.hang = false;
  clock.advance(59_999);
  send(reclaimer, { type: 'reclaim.tick' }); // still sweeping: ignored
  await turns(10);
  expect(queue.calls).toHaveLength(1);
  clock.advance(1); // the timeout: given up, the next sweep armed an interval later
  await waitFor(() => clock.pendingTimers() === 1, 5000, 'the next sweep to be armed');
  clock.advance(30_000);
  await waitFor(() => queue.trims === 1, 5000, 'a sweep after the one given up');
  system.shutdown();
});

test('it takes over only what the consumers have room for: a full consumer gets nothing, the sweep stops when all are full', async () => {
  const { system, queue, received, reclaimer } = setUp([[entry(1), entry(2)], [entry(3)], [entry(4)]], 100, {
    c0: 0,
    c1: 3,
  });
  send(reclaimer, { type: 'reclaim.tick' });
  await waitFor(() => queue.trims === 1, 5000, 'the sweep to end');
  expect(queue.calls.map((call) => call.consumer)).toEqual(['c1', 'c1']);
  expect(queue.counts).toEqual([3, 1]);
  await waitFor(() => received.length === 2, 5000, 'the pages to arrive');
  expect(received.every((page) => page.consumer === 'c1')).toBe(true);
  system.shutdown();
});

test('with no room anywhere it takes nothing over, and still trims', async () => {
  const { system, queue, reclaimer } = setUp([[entry(1)]], 100, { c0: 0, c1: 0 });
  send(reclaimer, { type: 'reclaim.tick' });
  await waitFor(() => queue.trims === 1, 5000, 'the sweep to end');
  expect(queue.calls).toEqual([]);
  system.shutdown();
});
