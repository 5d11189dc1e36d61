/** The nact facade: order, crashes as messages to the supervisor, asks, and messages to stopped actors. */
import { waitFor } from '../../support/waitFor.js';
import pino from 'pino';
import { swallowedErrors, useActorLogger } from '../../../actors/actorDiagnostics.js';
import {
  type ActorRef,
  ask,
  inspectMessages,
  send,
  spawnActor,
  startActorSystem,
  stopActor,
} from '../../../actors/typedActor.js';

type CounterMessage =
  { type: 'add'; amount: number } | { type: 'explode' } | { type: 'total'; replyTo: ActorRef<number> };

function spawnCounter(onCrash?: (error: Error, message: CounterMessage) => void) {
  const system = startActorSystem(`test-${Math.random().toString(36).slice(2)}`);
  const seen: number[] = [];
  const counter = spawnActor<number, CounterMessage>(system.root, {
    name: 'counter',
    initialState: 0,
    async receive(total, message) {
      switch (message.type) {
        case 'add':
          // An await inside the handler does not let the next message in (one at a time, FIFO).
          await new Promise((resolve) => setTimeout(resolve, message.amount % 3));
          seen.push(message.amount);
          return total + message.amount;
        case 'explode':
          throw new Error('boom');
        case 'total':
          send(message.replyTo, total);
          return total;
      }
    },
    onCrash,
  });
  return { system, counter, seen };
}

test('messages are handled one at a time, in the order sent, across awaits', async () => {
  const { system, counter, seen } = spawnCounter();
  for (const amount of [5, 1, 4, 2, 3]) send(counter, { type: 'add', amount });
  expect(await ask(counter, (replyTo: ActorRef<number>) => ({ type: 'total' as const, replyTo }), 1000)).toBe(15);
  expect(seen).toEqual([5, 1, 4, 2, 3]);
  system.shutdown();
});

test('a crash reaches the supervisor as the error and the message, and the actor is stopped, not resumed', async () => {
  const crashes: [string, CounterMessage][] = [];
  const { system, counter, seen } = spawnCounter((error, message) => crashes.push([error.message, message]));
  send(counter, { type: 'add', amount: 1 });
  send(counter, { type: 'explode' });
  await waitFor(() => crashes.length === 1);
  send(counter, { type: 'add', amount: 2 }); // to a stopped actor: dropped at once (nact finds no actor by that path), no throw
  expect(crashes).toEqual([['boom', { type: 'explode' }]]);
  expect(seen).toEqual([1]);
  await expect(
    ask(counter, (replyTo: ActorRef<number>) => ({ type: 'total' as const, replyTo }), 200),
  ).rejects.toThrow();
  system.shutdown();
});

test('every send passes the inspector, and stopActor ends an actor', async () => {
  const { system, counter, seen } = spawnCounter();
  const inspected: unknown[] = [];
  inspectMessages((event) => inspected.push(event));
  try {
    send(counter, { type: 'add', amount: 7 });
    await waitFor(() => seen.includes(7));
    stopActor(counter);
    send(counter, { type: 'add', amount: 8 }); // dropped at once: no actor holds the name any more
  } finally {
    inspectMessages(undefined);
  }
  expect(inspected).toEqual([
    { to: 'counter', message: { type: 'add', amount: 7 } },
    { to: 'counter', message: { type: 'add', amount: 8 } },
  ]);
  expect(seen).toEqual([7]);
  system.shutdown();
});

test("a handler's self is bound to its incarnation: once it has stopped, what it sent itself late is dropped and counted, not handed to a successor", async () => {
  useActorLogger(pino({ level: 'silent' }));
  const dropped = async () =>
    (await swallowedErrors.get()).values.find((value) => value.labels.kind === 'late-message-dropped')?.value ?? 0;
  const system = startActorSystem(`test-${Math.random().toString(36).slice(2)}`);
  const heard: string[] = [];
  let lateSelf: ActorRef<string> | undefined;
  const spawnEcho = () =>
    spawnActor<null, string>(system.root, {
      name: 'echo',
      initialState: null,
      receive(state, message, self) {
        heard.push(message);
        if (message === 'stop') {
          lateSelf = self;
          stopActor(self);
        }
        return state;
      },
    });
  const byName = spawnEcho();
  send(byName, 'stop');
  await waitFor(() => lateSelf !== undefined);
  spawnEcho(); // the successor, under the same name
  const before = await dropped();
  send(lateSelf!, 'late');
  send(byName, 'to the name');
  await waitFor(() => heard.includes('to the name'));
  expect(heard).toEqual(['stop', 'to the name']);
  expect(await dropped()).toBe(before + 1);
  system.shutdown();
});
