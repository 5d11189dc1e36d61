/**
 * The admitter on a manual clock: it admits on start, again one interval later, at once after
 * a full round, keeps going after a failure or an answer that never comes, and stops. The
 * admission is an in-memory stand-in for its one call (its Redis side is tested against a
 * real server in test/integration/queue/fairAdmission.test.ts).
 */
import pino from 'pino';
import { type AdmitterMessage, spawnAdmitterActor } from '../../../actors/admitterActor.js';
import { type ActorRef, type ChildCrashed, send, spawnActor, startActorSystem } from '../../../actors/typedActor.js';
import { manualClock } from '../../support/manualClock.js';
import { waitFor } from '../../support/waitFor.js';

type Answer = 'empty' | 'full' | 'fail' | 'hang';

function setUp(answers: Answer[]) {
  const system = startActorSystem(`admitter-${Math.random().toString(36).slice(2)}`);
  const clock = manualClock();
  const calls = { count: 0 };
  const admission = {
    admit(): Promise<string[]> {
      const answer = answers[calls.count] ?? 'empty';
      calls.count += 1;
      if (answer === 'fail') return Promise.reject(new Error('redis down'));
      if (answer === 'hang') return new Promise<never>(() => undefined);
      return Promise.resolve(answer === 'full' ? ['a', 'b', 'c'] : []);
    },
  };
  const supervisor = spawnActor<null, ChildCrashed>(system.root, {
    name: 'supervisor',
    initialState: null,
    receive: (state) => state,
  });
  const admitter: ActorRef<AdmitterMessage> = spawnAdmitterActor(system.root, {
    admission,
    intervalMs: 500,
    timeoutMs: 5000,
    fullRound: 3,
    clock,
    log: pino({ level: 'silent' }),
    supervisor,
  });
  return { system, clock, calls, admitter };
}

test('admits at start, then once per interval; a full round goes again at once', async () => {
  const { system, clock, calls, admitter } = setUp(['full', 'full', 'empty', 'empty']);
  send(admitter, { type: 'admission.tick' });
  await waitFor(() => calls.count === 3 && clock.pendingTimers() === 1, 5000, 'two full rounds and a third');
  clock.advance(499);
  expect(calls.count).toBe(3);
  clock.advance(1);
  await waitFor(() => calls.count === 4, 5000, 'the next interval');
  system.shutdown();
});

test('a failed round and a round that never answers are retried, and a stopped admitter stays still', async () => {
  const { system, clock, calls, admitter } = setUp(['fail', 'hang', 'empty']);
  send(admitter, { type: 'admission.tick' });
  await waitFor(() => calls.count === 1 && clock.pendingTimers() === 1, 5000, 'the failed round');
  clock.advance(500);
  await waitFor(() => calls.count === 2 && clock.pendingTimers() === 1, 5000, 'the hanging round');
  clock.advance(5000);
  await waitFor(() => clock.pendingTimers() === 1, 5000, 'the hanging round given up');
  clock.advance(500);
  await waitFor(() => calls.count === 3 && clock.pendingTimers() === 1, 5000, 'the round after');
  send(admitter, { type: 'periodic.stop' });
  clock.advance(500);
  send(admitter, { type: 'admission.tick' });
  await new Promise((resolve) => setImmediate(resolve));
  expect(calls.count).toBe(3);
  system.shutdown();
});
