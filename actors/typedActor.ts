/**
 * A small typed facade over nact 7.6.2, whose `Ref<T>` has no members (any ref fits any
 * other: LIBRARIES.md). Every actor here is spawned through `spawnActor`, every message
 * goes through `send`, and a crash always becomes a typed message to whoever supervises
 * the actor (`onCrash` returns the message; the actor is stopped, never resumed: nact's
 * resume and resetAll* decisions are broken in 7.6.2).
 */
import { dispatch, query, spawn, start, stop, type Ref } from 'nact';

const accepts = Symbol('accepts');

/** A reference that only takes messages of type M. */
export interface ActorRef<M> {
  readonly name: string;
  readonly nactRef: Ref<unknown>;
  /** Phantom: makes ActorRef<A> and ActorRef<B> incompatible. */
  readonly [accepts]?: (message: M) => void;
}

/** Anything an actor can be spawned under: the system root or another actor. */
export interface ActorParent {
  readonly nactRef: Ref<unknown>;
}

export interface ActorSystem {
  readonly root: ActorParent;
  shutdown(): void;
}

export type Inspector = (event: { to: string; message: unknown }) => void;

let inspector: Inspector | undefined;

/** Records every message sent (tests and debugging); pass undefined to stop. */
export function inspectMessages(next: Inspector | undefined): void {
  inspector = next;
}

export function startActorSystem(name: string): ActorSystem {
  const system = start(name);
  return { root: { nactRef: system }, shutdown: () => stop(system) };
}

/** The one choke point for every message between actors. */
export function send<M>(to: ActorRef<M>, message: M): void {
  inspector?.({ to: to.name, message });
  try {
    dispatch(to.nactRef as Ref<M>, message);
  } catch {
    // A message to an actor that has stopped is dropped, as in Erlang: late effect results
    // of an aborted job land here.
  }
}

export function stopActor(actor: ActorRef<never> | ActorRef<unknown> | { nactRef: Ref<unknown> }): void {
  stop(actor.nactRef);
}

/** Asks an actor and waits for its answer; the message carries the reply ref. */
export async function ask<M, R>(to: ActorRef<M>, makeMessage: (replyTo: ActorRef<R>) => M, timeoutMs: number): Promise<R> {
  return (await query(to.nactRef as Ref<M>, (temp: Ref<R>) => makeMessage({ name: 'reply', nactRef: temp as Ref<unknown> }), timeoutMs)) as R;
}

export interface ActorDefinition<S, M> {
  name: string;
  initialState: S;
  /** Handles one message; nact runs them one at a time, in order. Keep it short: long I/O runs as an effect whose result comes back as a message. */
  receive(state: S, message: M, self: ActorRef<M>): S | Promise<S>;
  /** Called with what crashed the handler; tell the supervisor (a typed message). The actor then stops. */
  onCrash?(error: Error, message: M): void;
}

export function spawnActor<S, M>(parent: ActorParent, definition: ActorDefinition<S, M>): ActorRef<M> {
  const nactRef = spawn(
    parent.nactRef,
    async (state: S, message: M, ctx: { self: Ref<M> }) => definition.receive(state, message, { name: definition.name, nactRef: ctx.self as Ref<unknown> }),
    definition.name,
    {
      initialState: definition.initialState,
      onCrash: (message: M, error: Error | undefined, ctx: { stop: symbol }) => {
        try {
          definition.onCrash?.(error ?? new Error('unknown crash'), message);
        } catch (reportError) {
          // A throwing onCrash would kill the process with an unhandled rejection (nact 7.6.2).
          console.error(`actor ${definition.name}: crash report failed`, reportError);
        }
        return ctx.stop;
      },
    } as never,
  );
  return { name: definition.name, nactRef: nactRef as Ref<unknown> };
}

/** Turns an actor ref into a parent handle for its own children. */
export function asParent(actor: ActorRef<never> | ActorRef<unknown> | { nactRef: Ref<unknown> }): ActorParent {
  return { nactRef: actor.nactRef };
}
